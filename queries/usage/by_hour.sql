-- Requests, pageviews and visits per local hour (not split by filters: agg_hourly keeps no dimensions).
-- Grain: one row per hour with data; the hour that happens twice when the clocks go back is two rows (fold 0, 1).
-- Columns: period (the hour's first moment, reporting time zone, naive), fold, pageviews, visits, requests,
-- bot_requests
SELECT day + hour * INTERVAL 1 HOUR AS period, coalesce(fold, 0) AS fold, sum(pageviews) AS pageviews,
       sum(visits) AS visits, sum(requests) AS requests, sum(bot_requests) AS bot_requests
FROM agg_hourly WHERE day BETWEEN $start AND $end
GROUP BY ALL ORDER BY period, fold
