"""harness: ROUGE for Chinese summaries on jieba word tokens, with a reproducibility signature and a CI gate."""

__version__ = "0.1.0"
