-- Bot traffic per crawler and the reason it was classed a bot, of one $site or all (NULL). Grain: one row per (bot_name, bot_reason).
-- Columns: bot_name, bot_reason, requests, clients
SELECT bot_name, bot_reason, sum(requests) AS requests, sum(clients) AS clients
FROM agg_bots WHERE day BETWEEN $start AND $end AND ($site IS NULL OR site = $site)
GROUP BY ALL ORDER BY requests DESC, bot_name
LIMIT $limit
