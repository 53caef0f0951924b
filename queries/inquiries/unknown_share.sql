-- How many inquiries the gazetteer could not place, per country and form field. Grain: one row per country and
-- field. province_city: the region is unknown; district (China only, where districts have codes): a district
-- was typed but no county was placed. Country 'unknown' rows are those whose country could not be told. $country
-- (NULL for all) keeps one country's rows.
WITH period AS (
    SELECT country, region, district, adcode FROM inquiries WHERE day BETWEEN $start AND $end
      AND ($country IS NULL OR country = $country)
),
by_field AS (
    SELECT country, 'province_city' AS field, count(*) AS inquiries,
           count(*) FILTER (WHERE region = 'unknown') AS unplaced
    FROM period GROUP BY country
    UNION ALL
    SELECT country, 'district' AS field, count(*) AS inquiries,
           count(*) FILTER (WHERE adcode IS NULL OR adcode LIKE '%00') AS unplaced
    FROM period WHERE country = 'CN' AND district IS NOT NULL GROUP BY country
),
final AS (
    SELECT country, field, inquiries, unplaced, unplaced / inquiries AS unplaced_share FROM by_field
)
SELECT * FROM final ORDER BY unplaced DESC, country, field
