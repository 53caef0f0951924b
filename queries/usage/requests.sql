-- All parsed requests and bot requests in a date range, of one $site or all (NULL). Grain: one row. Columns: requests, bot_requests
SELECT coalesce(sum(requests), 0) AS requests, coalesce(sum(requests) FILTER (WHERE is_bot), 0) AS bot_requests
FROM agg_status
WHERE day BETWEEN $start AND $end AND ($site IS NULL OR site = $site)
