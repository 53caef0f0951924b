-- One group's events (registered Arrow table `staged_events`, a day's visitor bucket in the Spark job) into the
-- executor's in-memory warehouse, before queries/logs/rebuild/ runs over them. Columns matched by name.
INSERT INTO events BY NAME SELECT * FROM staged_events
