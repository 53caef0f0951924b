-- A page filter means "the visits that included the page" for every figure (issue 28): agg_pages also keeps,
-- per row, the pageviews and the duration (seconds) of those visits, not only the page's own views. Rows of days
-- whose events are still held are filled here from events and visits; days whose events retention has already
-- deleted keep NULL (a page-filtered report then has no views per visit or duration for them).
ALTER TABLE agg_pages ADD COLUMN visit_pageviews BIGINT;
ALTER TABLE agg_pages ADD COLUMN visit_duration_s BIGINT;

UPDATE agg_pages AS a
SET visit_pageviews = s.visit_pageviews, visit_duration_s = s.visit_duration_s
FROM (
    WITH page_visits AS (
        SELECT DISTINCT e.day, e.path, v.visitor_id, v.visit_no
        FROM events e
        JOIN visits v ON v.day = e.day AND v.visitor_id = e.visitor_id AND e.ts BETWEEN v.started_at AND v.ended_at
        WHERE e.is_pageview
    )
    SELECT p.day, p.path, v.country, v.region, v.device, v.browser, v.os, v.source, v.source_kind, v.utm_campaign,
           v.site, sum(v.pageviews) AS visit_pageviews,
           sum(epoch(v.ended_at) - epoch(v.started_at))::BIGINT AS visit_duration_s
    FROM page_visits p JOIN visits v USING (day, visitor_id, visit_no)
    GROUP BY ALL
) AS s
WHERE a.day = s.day AND a.path = s.path AND a.site IS NOT DISTINCT FROM s.site
  AND a.country IS NOT DISTINCT FROM s.country AND a.region IS NOT DISTINCT FROM s.region
  AND a.device IS NOT DISTINCT FROM s.device AND a.browser IS NOT DISTINCT FROM s.browser
  AND a.os IS NOT DISTINCT FROM s.os AND a.source IS NOT DISTINCT FROM s.source
  AND a.source_kind IS NOT DISTINCT FROM s.source_kind AND a.utm_campaign IS NOT DISTINCT FROM s.utm_campaign;
