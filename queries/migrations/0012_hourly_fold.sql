-- The hour that happens twice on the day the clocks go back (Europe/Berlin's last Sunday of October: 02:00-03:00
-- CEST, then 02:00-03:00 CET) is two rows of agg_hourly, told apart by fold (0: the first pass, 1: the second, as
-- Python's datetime.fold), so that day has 25 hours in the hourly series; the day the clocks go forward has 23.
-- Rows loaded before keep fold 0.
ALTER TABLE agg_hourly ADD COLUMN fold SMALLINT DEFAULT 0;
