"""Synthetic French patients for tests, demos and benchmarks (never real people).

`generate_population(n_patients, seed)` builds realistic, deterministic patient and visit
tables; `vigie.synth.leaks` turns them into leak-shaped files.
"""
