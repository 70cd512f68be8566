"""The command line: ``app`` builds it, one module per command group (``census``, ``assess``,
``plans``), ``common`` for what they share, ``views`` to render results with Rich. Commands
parse their input, call one service, render the result."""
