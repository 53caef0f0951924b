-- How far one log file was loaded. Grain: one row per file_key (or none).
-- Columns: lines_done, bytes_done, disk_size, file_name
SELECT lines_done, bytes_done, disk_size, file_name FROM log_files WHERE file_key = $file_key
