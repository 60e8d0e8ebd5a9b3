"""Floor 5, results: the evaluation model (`model`) and its JSON contract (`contract`), the one place
the results' shape is defined; statistics, the gate and the renderers read results through them.
"""
