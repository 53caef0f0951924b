-- Advance the manifest of one file to what this load consumed.
INSERT INTO log_files (file_key, file_name, lines_done, bytes_done, disk_size, first_loaded_at, last_loaded_at,
                       first_line, prefix_len, prefix_hash)
VALUES ($file_key, $file_name, $lines_done, $bytes_done, $disk_size, $now, $now, $first_line, $prefix_len,
        $prefix_hash)
ON CONFLICT (file_key) DO UPDATE SET
    file_name = excluded.file_name,
    lines_done = excluded.lines_done,
    bytes_done = excluded.bytes_done,
    disk_size = excluded.disk_size,
    last_loaded_at = excluded.last_loaded_at,
    first_line = excluded.first_line,
    prefix_len = excluded.prefix_len,
    prefix_hash = excluded.prefix_hash
