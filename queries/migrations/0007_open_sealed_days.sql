-- Open and sealed reporting days (late and historical logs). A day is open while its visitor salt exists: its
-- events are kept and its aggregates are rebuilt from them. Once its salt is destroyed it is sealed: later
-- lines of that day are merged into its aggregates additively, as new visitors.
CREATE TABLE log_days (
    day            DATE PRIMARY KEY,
    last_loaded_at TIMESTAMPTZ,  -- the last run that loaded a line of this day (null: before this table)
    sealed_at      TIMESTAMPTZ   -- when its salt was destroyed; null while the day is open
);
-- Days loaded before this table: their salt may still exist; retention seals those whose salt is gone.
INSERT INTO log_days (day)
SELECT day FROM agg_hourly UNION SELECT day FROM events;

-- Lines merged into sealed days, per run and day (shown on the Data & privacy page).
CREATE TABLE sealed_merges (
    run_id    VARCHAR NOT NULL,
    day       DATE NOT NULL,
    lines     BIGINT NOT NULL,
    merged_at TIMESTAMPTZ NOT NULL
);
