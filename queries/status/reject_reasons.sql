-- Rejected log lines by reason over the kept runs, with one masked example each. Grain: one row per reason.
SELECT reason, count(*) AS lines, any_value(file_name) AS example_file, any_value(excerpt) AS example
FROM log_rejects
GROUP BY reason ORDER BY lines DESC, reason
