-- Every column of the warehouse that can hold text (strings, JSON, lists and structs), for the identifier scan.
-- Grain: one row per column. Columns: table_name, column_name
SELECT table_name, column_name
FROM information_schema.columns
WHERE table_schema = 'main'
  AND (data_type IN ('VARCHAR', 'JSON') OR data_type LIKE '%[]' OR data_type LIKE 'STRUCT%' OR data_type LIKE 'MAP%')
ORDER BY table_name, ordinal_position
