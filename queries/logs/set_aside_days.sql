-- Before a merge into sealed $days (DATE[]): their current visits and aggregates are set aside, the rebuild then
-- computes those of the new lines alone, and restore_days.sql adds the set-aside rows back.
CREATE OR REPLACE TEMP TABLE kept_visits AS SELECT * FROM visits WHERE list_contains($days::DATE[], day);
CREATE OR REPLACE TEMP TABLE kept_agg_daily AS SELECT * FROM agg_daily WHERE list_contains($days::DATE[], day);
CREATE OR REPLACE TEMP TABLE kept_agg_pages AS SELECT * FROM agg_pages WHERE list_contains($days::DATE[], day);
CREATE OR REPLACE TEMP TABLE kept_agg_hourly AS SELECT * FROM agg_hourly WHERE list_contains($days::DATE[], day);
CREATE OR REPLACE TEMP TABLE kept_agg_status AS SELECT * FROM agg_status WHERE list_contains($days::DATE[], day);
CREATE OR REPLACE TEMP TABLE kept_agg_bots AS SELECT * FROM agg_bots WHERE list_contains($days::DATE[], day);
CREATE OR REPLACE TEMP TABLE kept_agg_contact AS SELECT * FROM agg_contact WHERE list_contains($days::DATE[], day);
