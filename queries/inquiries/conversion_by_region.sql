-- Regional conversion: web visitors, contact-page visitors and inquiries per region, and inquiries per 1,000
-- visitors, of the place filters ($country, $region; NULL for all). Grain: one row per country and region seen
-- in either the web data or the inquiries.
WITH web AS (
    SELECT country, region AS region, sum(visitors) AS visitors
    FROM agg_daily WHERE day BETWEEN $start AND $end AND country IS NOT NULL
      AND ($country IS NULL OR country = $country) AND ($region IS NULL OR region = $region)
    GROUP BY ALL
),
contact AS (
    SELECT country, region AS region, sum(visitors) AS contact_page_visitors
    FROM agg_contact WHERE day BETWEEN $start AND $end AND country IS NOT NULL
      AND ($country IS NULL OR country = $country) AND ($region IS NULL OR region = $region)
    GROUP BY ALL
),
inq AS (
    SELECT country, region, count(*) AS inquiries
    FROM inquiries WHERE day BETWEEN $start AND $end AND region <> 'unknown'
      AND ($country IS NULL OR country = $country) AND ($region IS NULL OR region = $region)
    GROUP BY ALL
)
SELECT coalesce(w.country, i.country) AS country, coalesce(w.region, i.region) AS region,
       coalesce(w.visitors, 0) AS visitors, coalesce(c.contact_page_visitors, 0) AS contact_page_visitors,
       coalesce(i.inquiries, 0) AS inquiries,
       CASE WHEN coalesce(w.visitors, 0) > 0 THEN round(1000.0 * coalesce(i.inquiries, 0) / w.visitors, 2) END
           AS inquiries_per_1000_visitors
FROM web w
FULL JOIN inq i ON i.country = w.country AND i.region IS NOT DISTINCT FROM w.region
LEFT JOIN contact c ON c.country = coalesce(w.country, i.country)
                   AND c.region IS NOT DISTINCT FROM coalesce(w.region, i.region)
WHERE coalesce(w.region, i.region) IS NOT NULL
ORDER BY inquiries DESC, visitors DESC, country, region
