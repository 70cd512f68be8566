"""``python -m teamroots``: the command line."""

from teamroots.cli.app import main

main()
