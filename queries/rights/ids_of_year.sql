-- Request ids already used in one year (for numbering a new request DSR-YYYY-NNNN).
SELECT request_id FROM rights_requests WHERE request_id LIKE $prefix || '%'
