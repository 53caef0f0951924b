-- Grain: one row. Inquiries from $country submitted in [$since, $until) (naive UTC) by what the export said of a
-- separate consent to a transfer abroad (PIPL Art. 39): given, refused, or not asked (NULL).
-- Columns: inquiries, separate_consent, refused, not_asked
WITH held AS (
    SELECT transfer_consent
    FROM inquiries
    WHERE country = $country AND submitted_at >= $since AND submitted_at < $until
),
final AS (
    SELECT count(*) AS inquiries,
           count(*) FILTER (WHERE transfer_consent) AS separate_consent,
           count(*) FILTER (WHERE NOT transfer_consent) AS refused,
           count(*) FILTER (WHERE transfer_consent IS NULL) AS not_asked
    FROM held
)
SELECT * FROM final
