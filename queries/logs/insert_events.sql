-- Staged, already pseudonymized events of one file (Parquet written by the transform).
INSERT INTO events (day, ts, visitor_id, method, path, status, source, source_kind, utm_campaign, ua_key, country,
                    region, is_bot, bot_reason, is_pageview, file_key, line_no, site)
SELECT day, ts, visitor_id, method, path, status, source, source_kind, utm_campaign, ua_key, country, region, is_bot,
       bot_reason, is_pageview, file_key, line_no, site
FROM read_parquet($files)
