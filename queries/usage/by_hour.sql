-- Requests, pageviews and visits per local hour (not split by filters). Grain: one row per day and hour.
SELECT day, hour, sum(pageviews) AS pageviews, sum(visits) AS visits, sum(requests) AS requests,
       sum(bot_requests) AS bot_requests
FROM agg_hourly WHERE day BETWEEN $start AND $end
GROUP BY ALL ORDER BY day, hour
