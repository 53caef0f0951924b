"""vcar-insights: files in, warehouse out, and what people read of it. The packages stand on floors, each importing only
those below it (tests/project/test_layout.py): core (settings, the clock, the warehouse, names), access (who may sign
in), compliance (the rights register, the policy's promises, the record), ingest (logs, the contact form, a rights
export) and admin (the account lifecycle), geoip and sample, reporting (reports, each role's summary, formatting), and
cli on top; the dashboard stands above them all. Nothing here imports the dashboard."""
