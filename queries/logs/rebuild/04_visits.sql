-- Step 4 of the rebuild. Table: visits. Grain: one row per (day, visitor_id, visit_no); a visitor id belongs to one
-- site (the id mixes the site in), so a visit does too. Inputs: events,
-- user_agents; $gap_seconds (setting visit_gap_minutes). Leaves the temporary table touched_pageviews (one row
-- per pageview counted) for step 06.
-- Parameters: $days (DATE[], the reporting days rebuilt); $file_key and $from_line are null for an open day's rebuild
-- from all its events, or the file and first line of the new lines when they merge into sealed days (then only
-- those lines are counted; logs/set_aside_days.sql keeps the rest aside).

-- Pageviews of the touched days numbered into visits: a gap of $gap_seconds or more starts a new visit. The
-- windows sort only the narrow columns (the sort is the cost); the rest of each row is fetched by its rowid.
CREATE OR REPLACE TEMP TABLE touched_pageviews AS
WITH ordered AS (
    SELECT rowid AS event_row, day, visitor_id,
           row_number() OVER w AS rn,
           epoch(ts) - epoch(lag(ts) OVER w) AS gap
    FROM events
    WHERE list_contains($days, day) AND is_pageview
      AND ($file_key IS NULL OR (file_key = $file_key AND line_no >= $from_line))
    WINDOW w AS (PARTITION BY day, visitor_id ORDER BY ts, line_no)
),
numbered AS (
    SELECT event_row, rn,
           sum(CASE WHEN gap IS NULL OR gap >= $gap_seconds THEN 1 ELSE 0 END)
               OVER (PARTITION BY day, visitor_id ORDER BY rn ROWS UNBOUNDED PRECEDING) AS visit_no
    FROM ordered
)
SELECT e.day, e.visitor_id, e.ts, e.path, e.source, e.source_kind, e.utm_campaign, e.country, e.region, e.ua_key,
       e.site, n.rn, n.visit_no
FROM numbered n JOIN events e ON e.rowid = n.event_row;

INSERT INTO visits (day, visitor_id, visit_no, started_at, ended_at, pageviews, entry_page, exit_page, source,
                    source_kind, utm_campaign, country, region, device, browser, os, site)
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
           any_value(ua_key) AS ua_key,  -- the visitor id includes the user agent: one per visit
           any_value(site) AS site  -- and the site
    FROM touched_pageviews
    GROUP BY day, visitor_id, visit_no
)
SELECT g.day, g.visitor_id, g.visit_no, g.started_at, g.ended_at, g.pageviews, g.entry_page, g.exit_page, g.source,
       g.source_kind, g.utm_campaign, g.country, g.region, u.device, u.browser, u.os, g.site
FROM grouped g JOIN user_agents u USING (ua_key);
