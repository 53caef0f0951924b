-- How many Parquet files the Spark job's output holds for one table ($pattern: '<out>/<table>/*/*.parquet'), to
-- tell a wrong warehouse_parquet setting from an empty day. Grain: one row.
SELECT count(*) AS files FROM glob($pattern)
