-- Step 10 of the rebuild. Table: agg_contact. Grain: one row per day, country and region. Input: events;
-- $contact_paths (setting contact_paths).
-- Parameters: $days (DATE[], the reporting days rebuilt); $file_key and $from_line are null for an open day's rebuild
-- from all its events, or the file and first line of the new lines when they merge into sealed days (then only
-- those lines are counted; logs/set_aside_days.sql keeps the rest aside).

-- Visitors who viewed a contact page (the inquiry funnel's second step), per region.
INSERT INTO agg_contact
SELECT day, country, region, count(DISTINCT visitor_id) AS visitors
FROM events
WHERE list_contains($days, day) AND is_pageview AND list_contains($contact_paths, path)
  AND ($file_key IS NULL OR (file_key = $file_key AND line_no >= $from_line))
GROUP BY ALL;
