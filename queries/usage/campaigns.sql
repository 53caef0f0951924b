-- Visits by UTM campaign. Grain: one row per campaign. Columns: campaign, visits, visitors
SELECT utm_campaign AS campaign, sum(visits) AS visits, sum(visitors) AS visitors
FROM agg_daily
WHERE day BETWEEN $start AND $end AND utm_campaign IS NOT NULL
GROUP BY 1
ORDER BY visits DESC, campaign
LIMIT $limit
