-- Step 7 of the rebuild. Table: agg_hourly. Grain: one row per day, local hour and fold (1 for the second pass of
-- an hour that happens twice when the clocks go back: its UTC offset is smaller than an hour earlier's). Inputs:
-- events, visits; $tz (reporting time zone).
-- Parameters: $days (DATE[], the reporting days rebuilt); $file_key and $from_line are null for an open day's rebuild
-- from all its events, or the file and first line of the new lines when they merge into sealed days (then only
-- those lines are counted; logs/set_aside_days.sql keeps the rest aside).

-- Hourly totals in the reporting time zone. Counted per UTC quarter hour first: every zone's offset is a whole
-- number of quarter hours, so a quarter falls in one local hour, and the zone is looked up once per quarter, not
-- per request.
INSERT INTO agg_hourly (day, hour, fold, requests, bot_requests, pageviews, visits)
WITH req AS (
    SELECT day, time_bucket(INTERVAL 15 MINUTE, ts) AS quarter,
           count(*) AS requests,
           count(*) FILTER (WHERE is_bot) AS bot_requests,
           count(*) FILTER (WHERE is_pageview) AS pageviews
    FROM events
    WHERE list_contains($days, day) AND ($file_key IS NULL OR (file_key = $file_key AND line_no >= $from_line))
    GROUP BY ALL
),
vis AS (
    SELECT day, time_bucket(INTERVAL 15 MINUTE, started_at) AS quarter, count(*) AS visits
    FROM visits WHERE list_contains($days, day) GROUP BY ALL
),
placed AS (  -- a quarter's local hour, and fold 1 when its UTC offset is smaller than an hour earlier's
    SELECT *, hour(timezone($tz, timezone('UTC', quarter))) AS hour,
           CAST(timezone($tz, timezone('UTC', quarter)) - quarter
                < timezone($tz, timezone('UTC', quarter - INTERVAL 1 HOUR)) - (quarter - INTERVAL 1 HOUR) AS SMALLINT)
               AS fold
    FROM (SELECT day, quarter, requests, bot_requests, pageviews, 0 AS visits FROM req
          UNION ALL BY NAME
          SELECT day, quarter, 0 AS requests, 0 AS bot_requests, 0 AS pageviews, visits FROM vis)
)
SELECT day, hour, fold, sum(requests), sum(bot_requests), sum(pageviews), sum(visits)
FROM placed
GROUP BY day, hour, fold
HAVING sum(requests) > 0;  -- as before: an hour is there when it has requests (a merge counts only new lines)
