-- After a merge's rebuild of the new lines alone: the set-aside rows of the sealed days come back beside them.
-- Every aggregate is a sum over rows, so the day's figures are the old ones plus those of the new lines; the new
-- lines' visitors carry ids of a one-off salt, so they count as new visitors and visits.
INSERT INTO visits SELECT * FROM kept_visits;
INSERT INTO agg_daily SELECT * FROM kept_agg_daily;
INSERT INTO agg_pages SELECT * FROM kept_agg_pages;
INSERT INTO agg_hourly SELECT * FROM kept_agg_hourly;
INSERT INTO agg_status SELECT * FROM kept_agg_status;
INSERT INTO agg_bots SELECT * FROM kept_agg_bots;
INSERT INTO agg_contact SELECT * FROM kept_agg_contact;
DROP TABLE kept_visits;
DROP TABLE kept_agg_daily;
DROP TABLE kept_agg_pages;
DROP TABLE kept_agg_hourly;
DROP TABLE kept_agg_status;
DROP TABLE kept_agg_bots;
DROP TABLE kept_agg_contact;
