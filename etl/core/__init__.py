"""The core every other package builds on, importing nothing of them: settings (settings), the one clock (clock),
errors for people (errors), the warehouse connection and migrations (warehouse), secrets in secrets_dir
(keystore), the row reader for exports (readers), the metric and dimension registry (metrics), the roles
(roles), country and region names (places), counts and times in words (words), run statistics (runstats) and
test kill points (faults). May import: queries."""
