"""Floor 2, inputs: the corpus model (`corpus`), reading folder corpora (`folders`) and JSON Lines
(`jsonlines`, `jsonl`), theme files (`themes`), and the one `load_corpus` (`load`). Every problem
in every file is collected and reported in one InputError, before any text is scored.
"""
