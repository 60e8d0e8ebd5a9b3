"""Floor 4, per-document analyses: each summary beside its document (off-topic share, source
statistics, theme coverage, ...), behind one interface (`base.DocumentAnalysis`) and listed in
`registry`; plus the `--baselines` rows made from the source (`extractive`). No analysis changes a
ROUGE number.
"""
