"""Floor 7, statistics over an evaluation: the seeded generator, bootstrap intervals and paired tests
(`resampling`), intervals for an evaluation (`bootstrap`), and `harness compare` (`comparison`).
"""
