-- Pages by pageviews under the filters. Grain: one row per path.
SELECT path, sum(pageviews) AS pageviews, sum(visitors) AS visitors
FROM page_rows($start, $end, $country, $region, $device, $browser, $source, $page)
GROUP BY path
ORDER BY pageviews DESC, path
LIMIT $limit
