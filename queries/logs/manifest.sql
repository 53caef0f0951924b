-- How far each log file was loaded, read once per ingest run. Grain: one row per file_key.
-- Columns: file_key, lines_done, bytes_done, disk_size, file_name, first_line, prefix_len, prefix_hash
SELECT file_key, lines_done, bytes_done, disk_size, file_name, first_line, prefix_len, prefix_hash FROM log_files
