-- Step 2 of the rebuild. Table: events (updated). Grain: one row per request. Also $behaviour (setting
-- bot_behaviour).
-- Parameters: $days (DATE[], the reporting days rebuilt); $file_key and $from_line are null for an open day's rebuild
-- from all its events, or the file and first line of the new lines when they merge into sealed days (then only
-- those lines are counted; logs/set_aside_days.sql keeps the rest aside).

-- Behaviour, when $behaviour (setting bot_behaviour), per client and day among the requests not yet bots: a
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
