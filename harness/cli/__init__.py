"""Floor 10, the command line: the click group and the one place errors become exit codes (`main`),
the console entry and signal handling (`entry`, `interrupts`), `[tool.harness]` (`config`), shared
options (`options`), and one module per command. Each command parses, calls one function below,
and prints what it returns.
"""
