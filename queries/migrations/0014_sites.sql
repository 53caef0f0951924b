-- Sites (etl/ingest/logs/sites.py): every request, visit and web aggregate belongs to one site, the virtual host
-- it was served under. Rows loaded before were all of one site, the default: $default_site (the setting
-- site_host when the migration runs). Visitor ids already mixed that host in, so they stay as they were.
ALTER TABLE events ADD COLUMN site VARCHAR;
ALTER TABLE visits ADD COLUMN site VARCHAR;
ALTER TABLE agg_daily ADD COLUMN site VARCHAR;
ALTER TABLE agg_pages ADD COLUMN site VARCHAR;
ALTER TABLE agg_status ADD COLUMN site VARCHAR;
ALTER TABLE agg_bots ADD COLUMN site VARCHAR;
UPDATE events SET site = $default_site;
UPDATE visits SET site = $default_site;
UPDATE agg_daily SET site = $default_site;
UPDATE agg_pages SET site = $default_site;
UPDATE agg_status SET site = $default_site;
UPDATE agg_bots SET site = $default_site;
