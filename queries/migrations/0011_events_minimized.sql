-- Per-request rows keep only what a report or a rebuild reads (the privacy policy's "kept to what is needed",
-- and less to store on every load): the site host, response size, referrer host, utm_source/utm_medium tags and
-- GeoIP city were written for every request and read by nothing. The referrer and tags still decide the
-- source and source kind, which stay; the campaign name stays.
ALTER TABLE events DROP COLUMN host;
ALTER TABLE events DROP COLUMN bytes;
ALTER TABLE events DROP COLUMN referrer_host;
ALTER TABLE events DROP COLUMN utm_source;
ALTER TABLE events DROP COLUMN utm_medium;
ALTER TABLE events DROP COLUMN city;
