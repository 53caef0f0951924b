-- The web aggregates read from the Spark job's Parquet output (setting warehouse_parquet, $dir: its --out
-- folder, local or s3://) instead of the warehouse's tables: temporary views with the tables' names and columns
-- shadow them on this connection only, so every usage query, report and page runs unchanged. The days come from
-- the hive partitions (day=YYYY-MM-DD/). Inquiries, rights and audit stay in the warehouse.

SET VARIABLE vcar_parquet = $dir;

CREATE OR REPLACE TEMP VIEW agg_daily AS
SELECT day, country, region, device, browser, os, source, source_kind, utm_campaign,
       visitors, visits, bounces, pageviews, duration_s, site
FROM read_parquet(getvariable('vcar_parquet') || '/agg_daily/*/*.parquet', hive_partitioning = true,
                  hive_types = {'day': DATE});

CREATE OR REPLACE TEMP VIEW agg_pages AS
SELECT day, path, country, device, pageviews, visitors, entries, bounces, region, browser, os, source, source_kind,
       utm_campaign, visits, site, visit_pageviews, visit_duration_s
FROM read_parquet(getvariable('vcar_parquet') || '/agg_pages/*/*.parquet', hive_partitioning = true,
                  hive_types = {'day': DATE});

CREATE OR REPLACE TEMP VIEW agg_hourly AS
SELECT day, hour, requests, bot_requests, pageviews, visits, fold
FROM read_parquet(getvariable('vcar_parquet') || '/agg_hourly/*/*.parquet', hive_partitioning = true,
                  hive_types = {'day': DATE});

CREATE OR REPLACE TEMP VIEW agg_status AS
SELECT day, status_class, is_bot, requests, site
FROM read_parquet(getvariable('vcar_parquet') || '/agg_status/*/*.parquet', hive_partitioning = true,
                  hive_types = {'day': DATE});

CREATE OR REPLACE TEMP VIEW agg_bots AS
SELECT day, bot_name, bot_reason, requests, clients, site
FROM read_parquet(getvariable('vcar_parquet') || '/agg_bots/*/*.parquet', hive_partitioning = true,
                  hive_types = {'day': DATE});

CREATE OR REPLACE TEMP VIEW agg_contact AS
SELECT day, country, region, visitors
FROM read_parquet(getvariable('vcar_parquet') || '/agg_contact/*/*.parquet', hive_partitioning = true,
                  hive_types = {'day': DATE});
