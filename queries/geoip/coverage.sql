-- How much of the last loaded day GeoIP placed: the newest reporting day held on or before $today, its requests
-- (every parsed request, bots included) and its visitors (human, from agg_daily), and how many of each have a
-- known country and a known region. Grain: one row (day null when no day is held).
-- Columns: day, requests, requests_country, requests_region, visitors, visitors_country, visitors_region
WITH last_day AS (
    SELECT max(day) AS day FROM events WHERE day <= $today
),

requests AS (
    SELECT count(*) AS requests, count(country) AS requests_country, count(region) AS requests_region
    FROM events
    WHERE day = (SELECT day FROM last_day)
),

visitors AS (
    SELECT coalesce(sum(visitors), 0) AS visitors,
           coalesce(sum(visitors) FILTER (WHERE country IS NOT NULL), 0) AS visitors_country,
           coalesce(sum(visitors) FILTER (WHERE region IS NOT NULL), 0) AS visitors_region
    FROM agg_daily
    WHERE day = (SELECT day FROM last_day)
),

final AS (
    SELECT last_day.day, requests.*, visitors.* FROM last_day, requests, visitors
)

SELECT * FROM final
