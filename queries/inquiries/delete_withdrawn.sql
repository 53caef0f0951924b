-- Inquiries whose consent is now absent in the export are removed from analytics.
DELETE FROM inquiries WHERE list_contains($keys, inquiry_key)
