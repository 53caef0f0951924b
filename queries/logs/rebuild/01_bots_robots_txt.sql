-- Step 1 of the rebuild (etl/ingest/logs/ingest.py runs queries/logs/rebuild/ in name order), inside the load
-- transaction. Table: events (updated). Grain: one row per request.
-- Parameters: $days (DATE[], the reporting days rebuilt); $file_key and $from_line are null for an open day's rebuild
-- from all its events, or the file and first line of the new lines when they merge into sealed days (then only
-- those lines are counted; logs/set_aside_days.sql keeps the rest aside).

-- Clients that fetched /robots.txt that day are bots for all their requests of that day.
UPDATE events
SET is_bot = true, is_pageview = false, bot_reason = 'fetched_robots_txt'
WHERE list_contains($days, day) AND ($file_key IS NULL OR (file_key = $file_key AND line_no >= $from_line))
  AND NOT is_bot
  AND visitor_id IN (SELECT visitor_id FROM events
                     WHERE list_contains($days, day) AND path = '/robots.txt'
                       AND ($file_key IS NULL OR (file_key = $file_key AND line_no >= $from_line)));
