-- Rebuild every derived log table for the reporting days in $days (a list of dates), from `events`.
-- Run inside the load transaction, so readers see either the old days or the new ones, never half.
-- Parameters: $days (DATE[]), $gap_seconds (visit gap), $tz (reporting time zone), $contact_paths (VARCHAR[]),
-- $file_key and $from_line: null for an open day's rebuild from all its events; for a merge into sealed days,
-- the file and first line of the new lines, so only those are counted (set_aside_days.sql keeps the rest).

-- 1. Clients that fetched /robots.txt that day are bots for all their requests of that day.
UPDATE events
SET is_bot = true, is_pageview = false, bot_reason = 'fetched_robots_txt'
WHERE list_contains($days, day) AND ($file_key IS NULL OR (file_key = $file_key AND line_no >= $from_line))
  AND NOT is_bot
  AND visitor_id IN (SELECT visitor_id FROM events
                     WHERE list_contains($days, day) AND path = '/robots.txt'
                       AND ($file_key IS NULL OR (file_key = $file_key AND line_no >= $from_line)));

-- 1b. Behaviour, when $behaviour (setting bot_behaviour), per client and day among the requests not yet bots: a
-- client that asks only for /robots.txt, /sitemap.xml or HEAD; one that fetches pages at a fixed interval (24
-- pageviews or more over 6 hours or more, and 80% of the gaps between them within 20% of the median gap, so an
-- outage or a favicon fetched beside each page does not hide a monitor); one with 100 pageviews or more and no
-- other request (no assets: a scraper).
UPDATE events
SET is_bot = true, is_pageview = false, bot_reason = flagged.reason
FROM (
    WITH clients AS (
        SELECT day, visitor_id, count(*) AS requests, count(*) FILTER (WHERE is_pageview) AS pageviews,
               bool_and(method = 'HEAD' OR path IN ('/robots.txt', '/sitemap.xml')) AS only_meta,
               epoch(max(ts)) - epoch(min(ts)) AS span_s
        FROM events
        WHERE $behaviour AND list_contains($days, day) AND NOT is_bot
          AND ($file_key IS NULL OR (file_key = $file_key AND line_no >= $from_line))
        GROUP BY day, visitor_id
    ),
    gaps AS (
        SELECT e.day, e.visitor_id,
               epoch(e.ts) - epoch(lag(e.ts) OVER (PARTITION BY e.day, e.visitor_id ORDER BY e.ts)) AS gap
        FROM events e JOIN clients c ON e.day = c.day AND e.visitor_id = c.visitor_id
        WHERE c.pageviews >= 24 AND c.span_s >= 6 * 3600 AND e.is_pageview
          AND ($file_key IS NULL OR (e.file_key = $file_key AND e.line_no >= $from_line))
    ),
    regular AS (
        SELECT day, visitor_id,
               (quantile_cont(gap, 0.9) - quantile_cont(gap, 0.1)) / nullif(median(gap), 0) AS jitter
        FROM gaps WHERE gap IS NOT NULL GROUP BY day, visitor_id
    )
    SELECT c.day, c.visitor_id,
           CASE WHEN c.only_meta THEN 'only_robots_sitemap_head'
                WHEN r.jitter < 0.4 THEN 'fixed_interval'
                WHEN c.pageviews >= 100 AND c.requests = c.pageviews THEN 'many_pages_no_assets' END AS reason
    FROM clients c LEFT JOIN regular r ON c.day = r.day AND c.visitor_id = r.visitor_id
) flagged
WHERE flagged.reason IS NOT NULL AND events.day = flagged.day AND events.visitor_id = flagged.visitor_id
  AND NOT events.is_bot
  AND ($file_key IS NULL OR (events.file_key = $file_key AND events.line_no >= $from_line));

DELETE FROM visits WHERE list_contains($days, day);
DELETE FROM agg_daily WHERE list_contains($days, day);
DELETE FROM agg_pages WHERE list_contains($days, day);
DELETE FROM agg_hourly WHERE list_contains($days, day);
DELETE FROM agg_status WHERE list_contains($days, day);
DELETE FROM agg_bots WHERE list_contains($days, day);
DELETE FROM agg_contact WHERE list_contains($days, day);

-- 2. Pageviews of the touched days numbered into visits: a gap of $gap_seconds or more starts a new visit.
CREATE OR REPLACE TEMP TABLE touched_pageviews AS
WITH pageviews AS (
    SELECT day, visitor_id, ts, path, source, source_kind, utm_campaign, country, region, ua_key,
           row_number() OVER w AS rn,
           epoch(ts) - epoch(lag(ts) OVER w) AS gap
    FROM events
    WHERE list_contains($days, day) AND is_pageview
      AND ($file_key IS NULL OR (file_key = $file_key AND line_no >= $from_line))
    WINDOW w AS (PARTITION BY day, visitor_id ORDER BY ts, line_no)
)
SELECT *,
       sum(CASE WHEN gap IS NULL OR gap >= $gap_seconds THEN 1 ELSE 0 END)
           OVER (PARTITION BY day, visitor_id ORDER BY rn ROWS UNBOUNDED PRECEDING) AS visit_no
FROM pageviews;

INSERT INTO visits
WITH grouped AS (
    SELECT day, visitor_id, visit_no,
           min(ts) AS started_at,
           max(ts) AS ended_at,
           count(*) AS pageviews,
           arg_min(path, rn) AS entry_page,
           arg_max(path, rn) AS exit_page,
           arg_min(source, rn) AS source,
           arg_min(source_kind, rn) AS source_kind,
           arg_min(utm_campaign, rn) AS utm_campaign,
           any_value(country) AS country,
           any_value(region) AS region,
           any_value(ua_key) AS ua_key  -- the visitor id includes the user agent: one per visit
    FROM touched_pageviews
    GROUP BY day, visitor_id, visit_no
)
SELECT g.day, g.visitor_id, g.visit_no, g.started_at, g.ended_at, g.pageviews, g.entry_page, g.exit_page, g.source,
       g.source_kind, g.utm_campaign, g.country, g.region, u.device, u.browser, u.os
FROM grouped g JOIN user_agents u USING (ua_key);

-- 3. Daily aggregate: a visitor counts once, under the dimensions of their first visit of the day.
INSERT INTO agg_daily
SELECT day, country, region, device, browser, os, source, source_kind, utm_campaign,
       count(*) FILTER (WHERE visit_no = 1) AS visitors,
       count(*) AS visits,
       count(*) FILTER (WHERE pageviews = 1) AS bounces,
       sum(pageviews) AS pageviews,
       sum(epoch(ended_at) - epoch(started_at))::BIGINT AS duration_s
FROM visits
WHERE list_contains($days, day)
GROUP BY ALL;

-- 4. Pages, under the dimensions of the visit that viewed them: pageviews, visits that included the page,
-- visitors (counted once, under their first such visit of the day), entries and bounces.
INSERT INTO agg_pages (day, path, country, region, device, browser, os, source, source_kind, utm_campaign,
                       pageviews, visitors, visits, entries, bounces)
WITH per_visit AS (
    SELECT day, path, visitor_id, visit_no, count(*) AS views FROM touched_pageviews GROUP BY ALL
),
firsts AS (
    SELECT day, path, visitor_id, min(visit_no) AS first_visit FROM per_visit GROUP BY ALL
)
SELECT p.day, p.path, v.country, v.region, v.device, v.browser, v.os, v.source, v.source_kind, v.utm_campaign,
       sum(p.views) AS pageviews, count(*) FILTER (WHERE p.visit_no = f.first_visit) AS visitors, count(*) AS visits,
       count(*) FILTER (WHERE v.entry_page = p.path) AS entries, count(*) FILTER (WHERE v.pageviews = 1) AS bounces
FROM per_visit p
JOIN visits v USING (day, visitor_id, visit_no)
JOIN firsts f USING (day, path, visitor_id)
GROUP BY ALL;

DROP TABLE touched_pageviews;

-- 5. Hourly totals in the reporting time zone.
INSERT INTO agg_hourly
WITH req AS (
    SELECT day, hour(timezone($tz, timezone('UTC', ts))) AS hour,
           count(*) AS requests,
           count(*) FILTER (WHERE is_bot) AS bot_requests,
           count(*) FILTER (WHERE is_pageview) AS pageviews
    FROM events
    WHERE list_contains($days, day) AND ($file_key IS NULL OR (file_key = $file_key AND line_no >= $from_line))
    GROUP BY ALL
),
vis AS (
    SELECT day, hour(timezone($tz, timezone('UTC', started_at))) AS hour, count(*) AS visits
    FROM visits WHERE list_contains($days, day) GROUP BY ALL
)
SELECT r.day, r.hour, r.requests, r.bot_requests, r.pageviews, coalesce(v.visits, 0)
FROM req r LEFT JOIN vis v USING (day, hour);

-- 6. Status classes.
INSERT INTO agg_status
SELECT day,
       CASE WHEN status BETWEEN 200 AND 599 THEN (status // 100)::VARCHAR || 'xx' ELSE 'other' END AS status_class,
       is_bot, count(*) AS requests
FROM events
WHERE list_contains($days, day) AND ($file_key IS NULL OR (file_key = $file_key AND line_no >= $from_line))
GROUP BY ALL;

-- 7. Bots per crawler and reason.
INSERT INTO agg_bots
-- A client flagged by its behaviour is named after its browser and what it did.
SELECT e.day,
       coalesce(u.bot_name, u.browser || ' (' || replace(replace(e.bot_reason, 'fetched_robots_txt', 'fetched robots.txt'),
                                                         '_', ' ') || ')') AS bot_name,
       coalesce(e.bot_reason, u.bot_reason) AS bot_reason,
       count(*) AS requests, count(DISTINCT e.visitor_id) AS clients
FROM events e JOIN user_agents u USING (ua_key)
WHERE list_contains($days, e.day) AND e.is_bot
  AND ($file_key IS NULL OR (e.file_key = $file_key AND e.line_no >= $from_line))
GROUP BY ALL;

-- 8. Visitors who viewed a contact page (the inquiry funnel's second step), per region.
INSERT INTO agg_contact
SELECT day, country, region, count(DISTINCT visitor_id) AS visitors
FROM events
WHERE list_contains($days, day) AND is_pageview AND list_contains($contact_paths, path)
  AND ($file_key IS NULL OR (file_key = $file_key AND line_no >= $from_line))
GROUP BY ALL;
