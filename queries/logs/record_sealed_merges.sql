-- One row per sealed day a run merged lines into. $days (DATE[]) and $lines (BIGINT[]) are parallel lists.
INSERT INTO sealed_merges (run_id, day, lines, merged_at)
SELECT $run_id, unnest($days::DATE[]), unnest($lines::BIGINT[]), $merged_at
