-- Inquiries by district under its region. Grain: one row per country, region and district (China: per adcode,
-- named from the gazetteer; elsewhere the label as typed).
SELECT country, region, adcode, coalesce(district, 'unknown') AS district, count(*) AS inquiries
FROM inquiries WHERE day BETWEEN $start AND $end
  AND ($country IS NULL OR country = $country) AND ($region IS NULL OR region = $region)
GROUP BY ALL ORDER BY inquiries DESC, country, region, district, adcode
