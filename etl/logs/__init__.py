"""The log pipeline: find the files and their new lines (files), split lines into fields (parse), put user agent,
bot and place on each request (enrich, bots), pseudonymize (pseudonymize) and shape events (transform, a pure
function over polars frames that Spark can run too), then load the warehouse's log tables (ingest)."""

# The log formats a file can be read as ("auto" detects one per file); etl/logs/parse.py reads each.
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
