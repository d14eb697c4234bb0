"""`python -m flows` is the `eventwire` command."""

from flows.cli import main

main()
