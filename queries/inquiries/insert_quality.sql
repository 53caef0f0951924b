-- Data-quality findings of one import (registered Arrow table `new_quality`).
INSERT INTO data_quality (run_id, source, field, issue, raw_value, rows, recorded_at, country, candidates)
SELECT $run_id, $source, field, issue, raw_value, rows, $now, country, candidates FROM new_quality
