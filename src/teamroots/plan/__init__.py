"""Plans: optimisation problems over plain objects (no database session), solved with CP-SAT.

Only this package imports OR-Tools. One folder per problem — ``leaders``, ``training``,
``links`` — with the same module names: ``model`` (the input and its rules), ``inputs`` (the
input built from the facts the store reads), ``checks`` (the spec: one function per constraint
and the objective, without a solver), ``cpsat``/``solve`` (the solver), ``explain`` (reasons as
data), ``greedy`` (a baseline), ``edit`` (a person's changes, re-checked) and ``synthetic``
(generated plants for tests and benchmarks). The folders never import each other; what they
share is here: ``_solve`` (SolveResult), ``reasons``, ``violations``, ``skills``, ``edits``.
"""
