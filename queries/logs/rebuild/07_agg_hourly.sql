-- Step 7 of the rebuild. Table: agg_hourly. Grain: one row per day and local hour. Inputs: events, visits;
-- $tz (reporting time zone).
-- Parameters: $days (DATE[], the reporting days rebuilt); $file_key and $from_line are null for an open day's rebuild
-- from all its events, or the file and first line of the new lines when they merge into sealed days (then only
-- those lines are counted; logs/set_aside_days.sql keeps the rest aside).

-- Hourly totals in the reporting time zone.
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
