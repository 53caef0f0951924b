-- Daily series for a range and filters. Grain: one row per day with data.
SELECT day, sum(pageviews) AS pageviews, sum(visitors) AS visitors, sum(visits) AS visits,
       sum(bounces) AS bounces
FROM usage_rows($start, $end, $filters)
GROUP BY day
ORDER BY day
