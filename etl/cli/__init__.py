"""The ``vcar`` command line, one module per command group (ingest, report, rights, subject, users, geoip,
compliance, summaries, run), their shared options and output (common), and the app that joins them (app). May
import every other package of etl/."""

from etl.cli.app import app, main

__all__ = ["app", "main"]
