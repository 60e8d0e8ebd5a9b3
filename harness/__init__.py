"""harness: ROUGE for Chinese summaries on jieba word tokens, with a reproducibility signature and a CI gate."""

# Keep this module free of imports: the `harness` command imports it before its signal handlers
# are installed (harness.entry), and a Ctrl-C during that time would be a Python traceback.
__version__ = "0.1.0"
