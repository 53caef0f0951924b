-- Inquiries (minimized), data-quality findings, the rights-request register, the audit log, contact-page visitors.
-- Every table and column is declared in etl/inventory.py (purpose, legal basis, category, retention).

-- One row per contact-form submission with consent. No name, e-mail, phone, company or message text:
-- subjects are keyed HMAC-SHA256 hashes under a key that lives only in secrets_dir.
CREATE TABLE inquiries (
    inquiry_key        VARCHAR PRIMARY KEY,  -- keyed hash of normalized e-mail + submission time
    subject_email      VARCHAR,              -- keyed hash of the normalized e-mail
    subject_phone      VARCHAR,              -- keyed hash of the E.164 phone number
    submitted_at       TIMESTAMP NOT NULL,   -- UTC
    day                DATE NOT NULL,        -- reporting day (reporting time zone)
    country            VARCHAR NOT NULL,     -- ISO 3166-1 alpha-2 or 'unknown'
    region             VARCHAR NOT NULL,     -- ISO 3166-2 or 'unknown'
    district           VARCHAR,              -- cleaned label under a known region
    support_type       VARCHAR NOT NULL,
    status             VARCHAR NOT NULL,     -- new | responded | closed (CRM)
    first_response_at  TIMESTAMP,
    closed_at          TIMESTAMP,
    policy_version     VARCHAR NOT NULL,     -- privacy policy the consent was given to
    message_chars      INTEGER NOT NULL,     -- length only, never the text
    email_kind         VARCHAR NOT NULL,     -- free_mail | corporate | invalid
    has_company        BOOLEAN NOT NULL,
    run_id             VARCHAR NOT NULL,
    updated_at         TIMESTAMPTZ NOT NULL
);

-- What could not be used as typed, counted per run: unknown regions, rows without consent, bad rows.
CREATE TABLE data_quality (
    run_id      VARCHAR NOT NULL,
    source      VARCHAR NOT NULL,   -- inquiries | rights
    field       VARCHAR NOT NULL,
    issue       VARCHAR NOT NULL,   -- unknown_region | unknown_country | no_consent | invalid_email | ...
    raw_value   VARCHAR,            -- the typed value when it cannot identify anyone, else NULL
    rows        INTEGER NOT NULL,
    recorded_at TIMESTAMPTZ NOT NULL
);

-- The rights-request register: one row per request, its current state. History lives in audit_log.
CREATE TABLE rights_requests (
    request_id             VARCHAR PRIMARY KEY,
    type                   VARCHAR NOT NULL,
    channel                VARCHAR NOT NULL,
    status                 VARCHAR NOT NULL,
    subject_email          VARCHAR,        -- keyed hash; NULL after erasure
    subject_phone          VARCHAR,
    received_at            TIMESTAMP NOT NULL,  -- UTC
    identity_requested_on  DATE,
    identity_verified_on   DATE,
    extension_notified_on  DATE,
    extension_reason       VARCHAR,
    closed_on              DATE,
    note                   VARCHAR,        -- operator's note, e-mails and numbers masked
    updated_at             TIMESTAMPTZ NOT NULL
);

-- Append-only, hash-chained: each entry's hash covers the previous entry's hash.
CREATE TABLE audit_log (
    seq        BIGINT PRIMARY KEY,
    logged_at  TIMESTAMPTZ NOT NULL,
    actor      VARCHAR NOT NULL,
    action     VARCHAR NOT NULL,
    object     VARCHAR NOT NULL,
    detail     VARCHAR NOT NULL,   -- JSON, never an e-mail, phone or name
    prev_hash  VARCHAR NOT NULL,
    hash       VARCHAR NOT NULL
);

-- Distinct visitors per day and region who viewed a contact page (the funnel's second step).
CREATE TABLE agg_contact (
    day          DATE NOT NULL,
    country      VARCHAR,
    subdivision  VARCHAR,
    visitors     BIGINT NOT NULL
);

-- Subjects erased on request (keyed hashes only): a later re-import of an old export must not bring them back.
CREATE TABLE erased_subjects (
    subject_key  VARCHAR PRIMARY KEY,
    erased_on    DATE NOT NULL
);
