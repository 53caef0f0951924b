-- Visitors, visits and pageviews per site for a range and filters, to compare sites. Grain: one row per site.
-- Columns: site, visitors, visits, pageviews (their sum over the sites is the all-sites figure)
SELECT site, sum(visitors) AS visitors, sum(visits) AS visits, sum(pageviews) AS pageviews
FROM usage_rows($start, $end, $filters)
GROUP BY ALL
ORDER BY visitors DESC, site
