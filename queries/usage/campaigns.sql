-- UTM campaigns. Grain: one row per campaign.
SELECT utm_campaign AS campaign, sum(visits) AS visits, sum(visitors) AS visitors
FROM usage_rows($start, $end, $filters)
WHERE utm_campaign IS NOT NULL
GROUP BY 1
ORDER BY visits DESC, campaign
LIMIT $limit
