"""python -m teamroots: the command line."""

from teamroots.cli import main

main()
