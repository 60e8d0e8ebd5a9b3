"""Floor 1, text: normalisation and sentence split (`normalize`), tokenizers and jieba's dictionary
cache (`tokenizers`), and the analysed text every later stage reads (`analysed`: sentences, tokens,
n-gram counts, LCS masks). Imports nothing of the harness but floor 0 (errors, files).
"""
