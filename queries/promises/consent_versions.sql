-- Inquiries held, by the privacy-policy version they were consented to. Grain: one row per version.
SELECT policy_version, count(*) AS inquiries FROM inquiries GROUP BY policy_version ORDER BY policy_version
