-- First and last reporting day with inquiries. Grain: one row (NULLs when there are none).
SELECT min(day) AS first_day, max(day) AS last_day FROM inquiries
