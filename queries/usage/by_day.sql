-- Daily series. Grain: one row per day that has data. Columns: date, pageviews, visitors, visits, bounces
SELECT day AS date, sum(pageviews) AS pageviews, sum(visitors) AS visitors, sum(visits) AS visits,
       sum(bounces) AS bounces
FROM agg_daily
WHERE day BETWEEN $start AND $end
GROUP BY day
ORDER BY day
