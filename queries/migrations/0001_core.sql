-- Core operational tables. Grain and columns are declared in etl/inventory.py as well.

-- One row per run of an ingest command (logs, inquiries, rights): what it read and what it did.
CREATE TABLE ingest_runs (
    run_id        VARCHAR PRIMARY KEY,
    kind          VARCHAR NOT NULL,      -- logs | inquiries | rights
    started_at    TIMESTAMPTZ NOT NULL,
    finished_at   TIMESTAMPTZ,
    files         INTEGER NOT NULL DEFAULT 0,
    lines_read    BIGINT NOT NULL DEFAULT 0,
    lines_loaded  BIGINT NOT NULL DEFAULT 0,
    lines_rejected BIGINT NOT NULL DEFAULT 0,
    lines_skipped BIGINT NOT NULL DEFAULT 0,  -- already loaded by an earlier run
    status        VARCHAR NOT NULL        -- ok | failed
);
