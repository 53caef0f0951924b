"""vcar-insights' ETL: files in, warehouse out. Sub-packages by subsystem (logs, inquiries, compliance, sample);
the shared core at this level: the CLI (cli), settings, errors, the warehouse connection (warehouse), secrets
(keystore), accounts and single sign-on (accounts, sso), the metric registry (metrics), reports, the row reader for
exports (readers), run statistics (runstats) and test kill points (faults). Dependencies point one way:
dashboard -> etl -> queries; nothing here imports the dashboard."""
