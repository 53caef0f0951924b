-- Filters that apply to every panel: agg_pages gets the visit dimensions agg_daily has, plus the visits that
-- included each page; two table macros give every usage query the same filtered rows.
-- Days loaded before this migration keep NULL in the new agg_pages columns until an ingest rebuilds them.
ALTER TABLE agg_pages ADD COLUMN subdivision VARCHAR;
ALTER TABLE agg_pages ADD COLUMN browser VARCHAR;
ALTER TABLE agg_pages ADD COLUMN os VARCHAR;
ALTER TABLE agg_pages ADD COLUMN source VARCHAR;
ALTER TABLE agg_pages ADD COLUMN source_kind VARCHAR;
ALTER TABLE agg_pages ADD COLUMN utm_campaign VARCHAR;
ALTER TABLE agg_pages ADD COLUMN visits BIGINT;

-- Visit-level rows for a range and filters. Without a page filter: agg_daily. With one: that page's rows of
-- agg_pages (visitors and visits that included the page, bounces among them, its pageviews).
CREATE OR REPLACE MACRO usage_rows(d0, d1, f_country, f_region, f_device, f_browser, f_source, f_page) AS TABLE
    SELECT day, country, subdivision, device, browser, os, source, source_kind, utm_campaign,
           visitors, visits, bounces, pageviews, duration_s
    FROM agg_daily
    WHERE f_page IS NULL AND day BETWEEN d0 AND d1
      AND (f_country IS NULL OR country = f_country) AND (f_region IS NULL OR subdivision = f_region)
      AND (f_device IS NULL OR device = f_device) AND (f_browser IS NULL OR browser = f_browser)
      AND (f_source IS NULL OR source = f_source)
    UNION ALL
    SELECT day, country, subdivision, device, browser, os, source, source_kind, utm_campaign,
           visitors, coalesce(visits, entries), bounces, pageviews, NULL
    FROM agg_pages
    WHERE f_page IS NOT NULL AND path = f_page AND day BETWEEN d0 AND d1
      AND (f_country IS NULL OR country = f_country) AND (f_region IS NULL OR subdivision = f_region)
      AND (f_device IS NULL OR device = f_device) AND (f_browser IS NULL OR browser = f_browser)
      AND (f_source IS NULL OR source = f_source);

-- Page-level rows for a range and filters (top pages, entry pages).
CREATE OR REPLACE MACRO page_rows(d0, d1, f_country, f_region, f_device, f_browser, f_source, f_page) AS TABLE
    SELECT * FROM agg_pages
    WHERE day BETWEEN d0 AND d1
      AND (f_page IS NULL OR path = f_page)
      AND (f_country IS NULL OR country = f_country) AND (f_region IS NULL OR subdivision = f_region)
      AND (f_device IS NULL OR device = f_device) AND (f_browser IS NULL OR browser = f_browser)
      AND (f_source IS NULL OR source = f_source);
