"""The log pipeline: find the files and their new lines (files), split lines into fields (parse), put user agent,
bot and place on each request (enrich, bots), pseudonymize (pseudonymize) and shape events (transform, a pure
function over polars frames), then load the warehouse's log tables (ingest), or run the same transform and
rebuild SQL on Apache Spark and write Parquet (spark_job)."""

# The log formats a file can be read as ("auto" detects one per file); etl/ingest/logs/parse.py reads each.
FORMATS = (
    "auto",
    "combined",
    "common",
    "vcombined",
    "nginx-json",
    "caddy-json",
    "traefik-json",
    "w3c",
    "alb",
    "custom",
)
