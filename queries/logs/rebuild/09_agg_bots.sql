-- Step 9 of the rebuild. Table: agg_bots. Grain: one row per day, site, bot name and reason. Inputs: events,
-- user_agents.
-- Parameters: $days (DATE[], the reporting days rebuilt); $file_key and $from_line are null for an open day's rebuild
-- from all its events, or the file and first line of the new lines when they merge into sealed days (then only
-- those lines are counted; logs/set_aside_days.sql keeps the rest aside).

-- Bots per crawler and reason.
INSERT INTO agg_bots (day, bot_name, bot_reason, site, requests, clients)
-- A client flagged by its behaviour is named after its browser and what it did.
SELECT e.day,
       coalesce(u.bot_name, u.browser || ' (' || replace(replace(e.bot_reason, 'fetched_robots_txt', 'fetched robots.txt'),
                                                         '_', ' ') || ')') AS bot_name,
       coalesce(e.bot_reason, u.bot_reason) AS bot_reason, e.site,
       count(*) AS requests, count(DISTINCT e.visitor_id) AS clients
FROM events e JOIN user_agents u USING (ua_key)
WHERE list_contains($days, e.day) AND e.is_bot
  AND ($file_key IS NULL OR (e.file_key = $file_key AND e.line_no >= $from_line))
GROUP BY ALL;
