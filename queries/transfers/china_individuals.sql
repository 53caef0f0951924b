-- Grain: one row. Distinct individuals from $country whose personal data came into the warehouse in
-- [$since, $until) (naive UTC): an individual is a subject key (the e-mail's keyed hash, else the phone's) of an
-- inquiry or a rights request from that country. Erased subjects' rows carry no key and are not counted
-- (anonymized data is outside the PIPL, Art. 4).
-- Columns: individuals, from_inquiries, from_requests
WITH inquiry_subjects AS (
    SELECT coalesce(subject_email, subject_phone) AS subject
    FROM inquiries
    WHERE country = $country AND submitted_at >= $since AND submitted_at < $until
),
request_subjects AS (
    SELECT coalesce(subject_email, subject_phone) AS subject
    FROM rights_requests
    WHERE country = $country AND received_at >= $since AND received_at < $until
),
final AS (
    SELECT
        (SELECT count(DISTINCT subject) FROM (SELECT subject FROM inquiry_subjects
                                              UNION SELECT subject FROM request_subjects)) AS individuals,
        (SELECT count(DISTINCT subject) FROM inquiry_subjects) AS from_inquiries,
        (SELECT count(DISTINCT subject) FROM request_subjects) AS from_requests
)
SELECT * FROM final
