"""``python -m etl.cli``: the same as ``vcar``."""

from etl.cli.app import main

main()
