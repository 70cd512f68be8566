"""Plans: optimisation problems over plain objects (no database session), solved with CP-SAT.

Only this package imports OR-Tools. Each problem has its inputs and scores
(``leaders_model``), a solver-free checker of every constraint and of the objective
(``checks``: the spec), a greedy baseline and the solver itself.
"""
