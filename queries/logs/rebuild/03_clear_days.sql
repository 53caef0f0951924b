-- Step 3 of the rebuild: the derived tables of $days are emptied before steps 04-10 count them again.
-- Inputs: $days (DATE[]).

DELETE FROM visits WHERE list_contains($days, day);
DELETE FROM agg_daily WHERE list_contains($days, day);
DELETE FROM agg_pages WHERE list_contains($days, day);
DELETE FROM agg_hourly WHERE list_contains($days, day);
DELETE FROM agg_status WHERE list_contains($days, day);
DELETE FROM agg_bots WHERE list_contains($days, day);
DELETE FROM agg_contact WHERE list_contains($days, day);
