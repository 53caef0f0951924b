-- Rows of $table whose value, in each of $columns (VARCHAR[]), matches $pattern (RE2): one column per scanned
-- column, holding its count. The table and columns come from text_columns.sql, never from a person.
SELECT coalesce(sum(regexp_matches(CAST(COLUMNS(lambda c: list_contains($columns, c)) AS VARCHAR), $pattern)::INTEGER), 0)
FROM query_table($table)
