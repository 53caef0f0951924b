-- Step 8 of the rebuild. Table: agg_status. Grain: one row per day, site, status class and is_bot. Input: events.
-- Parameters: $days (DATE[], the reporting days rebuilt); $file_key and $from_line are null for an open day's rebuild
-- from all its events, or the file and first line of the new lines when they merge into sealed days (then only
-- those lines are counted; logs/set_aside_days.sql keeps the rest aside).

-- Status classes.
INSERT INTO agg_status (day, status_class, is_bot, site, requests)
SELECT day,
       CASE WHEN status BETWEEN 200 AND 599 THEN (status // 100)::VARCHAR || 'xx' ELSE 'other' END AS status_class,
       is_bot, site, count(*) AS requests
FROM events
WHERE list_contains($days, day) AND ($file_key IS NULL OR (file_key = $file_key AND line_no >= $from_line))
GROUP BY ALL;
