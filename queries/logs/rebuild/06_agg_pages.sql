-- Step 6 of the rebuild. Table: agg_pages. Grain: one row per day, site, path and visit dimensions. Inputs:
-- touched_pageviews (step 04, dropped here), visits.

-- Pages, under the dimensions of the visit that viewed them: pageviews, visits that included the page,
-- visitors (counted once, under their first such visit of the day), entries and bounces, and the pageviews and
-- duration of those visits (a page filter's figures are those of the visits that included the page).
INSERT INTO agg_pages (day, path, country, region, device, browser, os, source, source_kind, utm_campaign,
                       site, pageviews, visitors, visits, entries, bounces, visit_pageviews, visit_duration_s)
WITH per_visit AS (
    SELECT day, path, visitor_id, visit_no, count(*) AS views FROM touched_pageviews GROUP BY ALL
),
firsts AS (
    SELECT day, path, visitor_id, min(visit_no) AS first_visit FROM per_visit GROUP BY ALL
)
SELECT p.day, p.path, v.country, v.region, v.device, v.browser, v.os, v.source, v.source_kind, v.utm_campaign,
       v.site, sum(p.views) AS pageviews, count(*) FILTER (WHERE p.visit_no = f.first_visit) AS visitors, count(*) AS visits,
       count(*) FILTER (WHERE v.entry_page = p.path) AS entries, count(*) FILTER (WHERE v.pageviews = 1) AS bounces,
       sum(v.pageviews) AS visit_pageviews, sum(epoch(v.ended_at) - epoch(v.started_at))::BIGINT AS visit_duration_s
FROM per_visit p
JOIN visits v USING (day, visitor_id, visit_no)
JOIN firsts f USING (day, path, visitor_id)
GROUP BY ALL;

DROP TABLE touched_pageviews;
