-- Web-log tables. No raw IP, user-agent string or full referrer URL is ever stored.

-- Manifest: one row per log file identity (hash of its first line, stable across logrotate renames).
CREATE TABLE log_files (
    file_key    VARCHAR PRIMARY KEY,
    file_name   VARCHAR NOT NULL,     -- base name as last seen
    lines_done  BIGINT NOT NULL,      -- complete lines consumed (loaded + rejected)
    bytes_done  BIGINT NOT NULL,      -- uncompressed bytes consumed
    disk_size   BIGINT NOT NULL,      -- size on disk when last read (unchanged file: nothing to do)
    first_loaded_at TIMESTAMPTZ NOT NULL,
    last_loaded_at  TIMESTAMPTZ NOT NULL
);

-- User-agent dimension: one row per distinct user agent, keyed by a keyed hash; the string itself is not kept.
CREATE TABLE user_agents (
    ua_key        UBIGINT PRIMARY KEY,
    device        VARCHAR NOT NULL,   -- desktop | mobile | tablet | bot | other
    browser       VARCHAR NOT NULL,
    browser_major VARCHAR NOT NULL,
    os            VARCHAR NOT NULL,
    os_major      VARCHAR NOT NULL,
    is_bot        BOOLEAN NOT NULL,
    bot_name      VARCHAR,
    bot_reason    VARCHAR
);

-- Pseudonymized events: one row per parsed request. Kept event_retention_days.
CREATE TABLE events (
    day           DATE NOT NULL,      -- reporting day in the configured time zone
    ts            TIMESTAMP NOT NULL, -- UTC
    visitor_id    UBIGINT NOT NULL,   -- keyed hash with that day's salt
    host          VARCHAR NOT NULL,
    method        VARCHAR NOT NULL,
    path          VARCHAR NOT NULL,   -- scrubbed, no query string
    status        INTEGER NOT NULL,
    bytes         BIGINT NOT NULL,
    referrer_host VARCHAR,
    source        VARCHAR,
    source_kind   VARCHAR,
    utm_source    VARCHAR,
    utm_medium    VARCHAR,
    utm_campaign  VARCHAR,
    ua_key        UBIGINT NOT NULL,
    country       VARCHAR,
    subdivision   VARCHAR,
    city          VARCHAR,
    is_bot        BOOLEAN NOT NULL,
    bot_reason    VARCHAR,
    is_pageview   BOOLEAN NOT NULL,
    file_key      VARCHAR NOT NULL,
    line_no       BIGINT NOT NULL
);

-- Rejected lines: where and why, with an excerpt that keeps the shape of the line but no identifiers.
CREATE TABLE log_rejects (
    run_id    VARCHAR NOT NULL,
    file_key  VARCHAR NOT NULL,
    file_name VARCHAR NOT NULL,
    line_no   BIGINT NOT NULL,
    reason    VARCHAR NOT NULL,
    excerpt   VARCHAR NOT NULL
);

-- Visits: one row per visit (a visitor-day's pageviews with gaps under visit_gap_minutes).
CREATE TABLE visits (
    day           DATE NOT NULL,
    visitor_id    UBIGINT NOT NULL,
    visit_no      INTEGER NOT NULL,
    started_at    TIMESTAMP NOT NULL,
    ended_at      TIMESTAMP NOT NULL,
    pageviews     INTEGER NOT NULL,
    entry_page    VARCHAR NOT NULL,
    exit_page     VARCHAR NOT NULL,
    source        VARCHAR,
    source_kind   VARCHAR,
    utm_campaign  VARCHAR,
    country       VARCHAR,
    subdivision   VARCHAR,
    device        VARCHAR,
    browser       VARCHAR,
    os            VARCHAR
);

-- Daily aggregate by visitor and visit dimensions. Visitors are counted under the source of their first
-- visit of the day, so every count here adds up across any dimension.
CREATE TABLE agg_daily (
    day          DATE NOT NULL,
    country      VARCHAR,
    subdivision  VARCHAR,
    device       VARCHAR,
    browser      VARCHAR,
    os           VARCHAR,
    source       VARCHAR,
    source_kind  VARCHAR,
    utm_campaign VARCHAR,
    visitors     BIGINT NOT NULL,
    visits       BIGINT NOT NULL,
    bounces      BIGINT NOT NULL,
    pageviews    BIGINT NOT NULL,
    duration_s   BIGINT NOT NULL
);

-- Daily aggregate by page: pageviews, distinct visitors of the page, visits entering on it and bouncing.
CREATE TABLE agg_pages (
    day         DATE NOT NULL,
    path        VARCHAR NOT NULL,
    country     VARCHAR,
    device      VARCHAR,
    pageviews   BIGINT NOT NULL,
    visitors    BIGINT NOT NULL,
    entries     BIGINT NOT NULL,
    bounces     BIGINT NOT NULL
);

-- Hourly totals (local hour of the reporting day).
CREATE TABLE agg_hourly (
    day          DATE NOT NULL,
    hour         INTEGER NOT NULL,
    requests     BIGINT NOT NULL,
    bot_requests BIGINT NOT NULL,
    pageviews    BIGINT NOT NULL,
    visits       BIGINT NOT NULL
);

-- Requests by status class and bot flag.
CREATE TABLE agg_status (
    day          DATE NOT NULL,
    status_class VARCHAR NOT NULL,   -- 2xx, 3xx, 4xx, 5xx, other
    is_bot       BOOLEAN NOT NULL,
    requests     BIGINT NOT NULL
);

-- Bot traffic per crawler and the reason it was classed a bot.
CREATE TABLE agg_bots (
    day        DATE NOT NULL,
    bot_name   VARCHAR NOT NULL,
    bot_reason VARCHAR NOT NULL,
    requests   BIGINT NOT NULL,
    clients    BIGINT NOT NULL
);
