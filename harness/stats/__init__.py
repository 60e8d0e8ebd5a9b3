"""Floor 7, statistics over an evaluation: the seeded generator, bootstrap intervals and paired tests
(`resampling`), exact percentiles of more resample means than are worth keeping (`selection`),
intervals for an evaluation (`bootstrap`), and `harness compare` (`comparison`).
"""
