-- The headline sums of each day of a range under the filters, so one read gives the totals of any days inside it
-- (every column is a sum of daily figures; a visitor is counted per day). Grain: one row per day with data.
-- Columns: day, visitors, visits, pageviews, bounces, duration_s (NULL when no row of the day has one)
SELECT day, sum(visitors) AS visitors, sum(visits) AS visits, sum(pageviews) AS pageviews,
       sum(bounces) AS bounces, sum(duration_s) AS duration_s
FROM usage_rows($start, $end, $filters)
GROUP BY day
ORDER BY day
