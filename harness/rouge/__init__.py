"""Floor 3, ROUGE: LCS (`lcs`), per-pair counts and scores with rouge-score's arithmetic (`scoring`),
the metric registry (`metrics`), several references (`multiref`), the settings and signature that
say how a number was made (`settings`, `signature`), and `Scorer` for single pairs (`scorer`).
"""
