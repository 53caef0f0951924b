-- Inquiries held without consent (should be none: rows without it are never loaded, withdrawn ones deleted).
SELECT count(*) FROM inquiries WHERE NOT coalesce(consent, false)
