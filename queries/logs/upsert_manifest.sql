-- Advance the manifest of one file to what this load consumed.
INSERT INTO log_files (file_key, file_name, lines_done, bytes_done, disk_size, first_loaded_at, last_loaded_at)
VALUES ($file_key, $file_name, $lines_done, $bytes_done, $disk_size, now(), now())
ON CONFLICT (file_key) DO UPDATE SET
    file_name = excluded.file_name,
    lines_done = excluded.lines_done,
    bytes_done = excluded.bytes_done,
    disk_size = excluded.disk_size,
    last_loaded_at = excluded.last_loaded_at
