-- One name per concept: the first-level division (ISO 3166-2, e.g. CN-GD) is `region` in web data as it is in
-- inquiries. The filter macros move out of the schema: queries/usage/filtered_rows.sql defines them on each
-- connection, beside the usage queries that use them.
DROP MACRO TABLE IF EXISTS usage_rows;
DROP MACRO TABLE IF EXISTS page_rows;
ALTER TABLE events RENAME COLUMN subdivision TO region;
ALTER TABLE visits RENAME COLUMN subdivision TO region;
ALTER TABLE agg_daily RENAME COLUMN subdivision TO region;
ALTER TABLE agg_pages RENAME COLUMN subdivision TO region;
ALTER TABLE agg_contact RENAME COLUMN subdivision TO region;
