-- Bot requests among the lines one load brought ($file_key from line $from_line on): by their user agent, and by
-- their behaviour (flagged by logs/rebuild/02_bots_behaviour.sql). Grain: one row.
SELECT count(*) FROM events WHERE file_key = $file_key AND line_no >= $from_line AND is_bot
