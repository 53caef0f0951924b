-- Log lines that gave no event, by reason, over the kept runs, with one masked example each. `not_a_request`
-- lines ("-" 408, a bare newline, TLS bytes) had no request to parse: counted as lines_not_requests, not as
-- rejects. Grain: one row per reason. Columns: reason, counted_as (rejected | not a request), lines,
-- example_file, example
SELECT reason, CASE WHEN reason = 'not_a_request' THEN 'not a request' ELSE 'rejected' END AS counted_as,
       count(*) AS lines, any_value(file_name) AS example_file, any_value(excerpt) AS example
FROM log_rejects
GROUP BY reason ORDER BY counted_as DESC, lines DESC, reason
