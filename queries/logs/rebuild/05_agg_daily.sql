-- Step 5 of the rebuild. Table: agg_daily. Grain: one row per day, site and visit dimensions (country,
-- region, device, browser, os, source, source_kind, utm_campaign). Input: visits of $days (DATE[]).

-- Daily aggregate: a visitor counts once, under the dimensions of their first visit of the day.
INSERT INTO agg_daily (day, country, region, device, browser, os, source, source_kind, utm_campaign, site, visitors,
                       visits, bounces, pageviews, duration_s)
SELECT day, country, region, device, browser, os, source, source_kind, utm_campaign, site,
       count(*) FILTER (WHERE visit_no = 1) AS visitors,
       count(*) AS visits,
       count(*) FILTER (WHERE pageviews = 1) AS bounces,
       sum(pageviews) AS pageviews,
       sum(epoch(ended_at) - epoch(started_at))::BIGINT AS duration_s
FROM visits
WHERE list_contains($days, day)
GROUP BY ALL;
