-- The requests of one reporting day ($day) by the country GeoIP gave them, for weighting the update's coverage
-- check by where traffic comes from. Grain: one row per known country. Columns: country, requests
SELECT country, count(*) AS requests
FROM events
WHERE day = $day AND country IS NOT NULL
GROUP BY country
ORDER BY requests DESC, country
