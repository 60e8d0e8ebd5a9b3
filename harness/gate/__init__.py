"""Floor 8, the CI gate: stored baselines (`baseline`) and the verdict of a run against one
(`verdict`, `harness.check`).
"""
