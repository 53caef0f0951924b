-- The filtered rows every usage query reads, as two table macros defined on each connection (temporary, so a
-- read-only connection can define them). `f` is the $filters struct: one field per dimension of etl/core/metrics.py
-- that filters (site, country, region, device, browser, source, page), NULL for "all".

-- Visit-level rows for a range and filters. Without a page filter: agg_daily. With one: that page's rows of
-- agg_pages, every figure that of the visits that included the page (visitors, visits, bounces among them, their
-- pageviews and duration); the page's own views are in page_rows.
CREATE OR REPLACE TEMP MACRO usage_rows(d0, d1, f) AS TABLE
    SELECT day, site, country, region, device, browser, os, source, source_kind, utm_campaign,
           visitors, visits, bounces, pageviews, duration_s
    FROM agg_daily
    WHERE f['page'] IS NULL AND day BETWEEN d0 AND d1
      AND (f['country'] IS NULL OR country = f['country']) AND (f['region'] IS NULL OR region = f['region'])
      AND (f['device'] IS NULL OR device = f['device']) AND (f['browser'] IS NULL OR browser = f['browser'])
      AND (f['source'] IS NULL OR source = f['source']) AND (f['site'] IS NULL OR site = f['site'])
    UNION ALL
    SELECT day, site, country, region, device, browser, os, source, source_kind, utm_campaign,
           visitors, coalesce(visits, entries), bounces, visit_pageviews, visit_duration_s
    FROM agg_pages
    WHERE f['page'] IS NOT NULL AND path = f['page'] AND day BETWEEN d0 AND d1
      AND (f['country'] IS NULL OR country = f['country']) AND (f['region'] IS NULL OR region = f['region'])
      AND (f['device'] IS NULL OR device = f['device']) AND (f['browser'] IS NULL OR browser = f['browser'])
      AND (f['source'] IS NULL OR source = f['source']) AND (f['site'] IS NULL OR site = f['site']);

-- Page-level rows for a range and filters (top pages, entry pages).
CREATE OR REPLACE TEMP MACRO page_rows(d0, d1, f) AS TABLE
    SELECT * FROM agg_pages
    WHERE day BETWEEN d0 AND d1
      AND (f['page'] IS NULL OR path = f['page'])
      AND (f['country'] IS NULL OR country = f['country']) AND (f['region'] IS NULL OR region = f['region'])
      AND (f['device'] IS NULL OR device = f['device']) AND (f['browser'] IS NULL OR browser = f['browser'])
      AND (f['source'] IS NULL OR source = f['source']) AND (f['site'] IS NULL OR site = f['site']);
