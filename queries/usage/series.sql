-- Visitors, visits and pageviews per day, ISO week (from Monday) or calendar month of a range, under the
-- filters ($grain: 'day', 'week' or 'month'). Grain: one row per period with data.
-- Columns: period (its first day), visitors (sum of daily visitors), visits, pageviews
SELECT date_trunc($grain, day)::DATE AS period, sum(visitors) AS visitors, sum(visits) AS visits,
       sum(pageviews) AS pageviews
FROM usage_rows($start, $end, $filters)
GROUP BY 1 ORDER BY 1
