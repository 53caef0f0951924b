-- China and Europe, both regimes (etl/compliance/regimes.py): the country and the law a rights request is under,
-- the reason given for a refusal (PIPL Art. 50, GDPR Art. 12(4)), an inquiry's separate consent to a transfer out
-- of China (PIPL Art. 39), and the register of personal-information impact assessments (PIPL Art. 55-56).
ALTER TABLE rights_requests ADD COLUMN country VARCHAR;         -- ISO 3166-1 of the subject, when known
ALTER TABLE rights_requests ADD COLUMN regime VARCHAR;          -- gdpr | pipl | both, from the country and channel
ALTER TABLE rights_requests ADD COLUMN refusal_reason VARCHAR;  -- why it was rejected, masked like a note
ALTER TABLE inquiries ADD COLUMN transfer_consent BOOLEAN;      -- separate consent to a transfer abroad; NULL: not asked

-- One row per impact assessment; kept at least three years (PIPL Art. 56), never touched by vcar retention.
CREATE TABLE impact_assessments (
    assessment_id  VARCHAR PRIMARY KEY,   -- PIA-<year>-<n>
    activity       VARCHAR NOT NULL,      -- a processing activity's key (etl/compliance/activities.py)
    assessed_on    DATE NOT NULL,
    conclusion     VARCHAR NOT NULL,      -- approved | approved_with_measures | rejected
    next_review    DATE NOT NULL,
    summary        VARCHAR,               -- the report's findings in a few words (no personal data)
    recorded_at    TIMESTAMPTZ NOT NULL
);
