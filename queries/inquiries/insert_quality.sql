-- Data-quality findings of one import (registered Arrow table `new_quality`).
INSERT INTO data_quality (run_id, source, field, issue, raw_value, rows, recorded_at)
SELECT $run_id, $source, field, issue, raw_value, rows, now() FROM new_quality
