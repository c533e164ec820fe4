-- Idempotency records: one row per (scope, key). Runs unchanged on H2 (MODE=PostgreSQL) and PostgreSQL.
--
-- Correctness across many service instances rests on two things only: the primary key, which
-- lets exactly one INSERT claim a key, and conditional UPDATE/DELETE statements on
-- fencing_token, which let exactly one taker win an expired claim and stop a late finisher
-- from overwriting a newer one.

-- Fencing tokens come from one sequence so a token is never reused, not even after a record
-- was deleted and its key claimed again. CACHE 1 keeps them increasing across PostgreSQL
-- sessions too (a per-session cache would hand out values out of order).
CREATE SEQUENCE idempotency_fencing_token START WITH 1 INCREMENT BY 1 CACHE 1;

CREATE TABLE idempotency_record (
  scope VARCHAR(255) NOT NULL,
  idem_key VARCHAR(255) NOT NULL,
  fingerprint CHAR(64) NOT NULL,
  state VARCHAR(16) NOT NULL CHECK (state IN ('IN_PROGRESS', 'PENDING_RESULT', 'COMPLETED')),
  fencing_token BIGINT NOT NULL,
  created_at TIMESTAMP WITH TIME ZONE NOT NULL,
  -- Set while IN_PROGRESS: after it, another request may take the claim over.
  lease_expires_at TIMESTAMP WITH TIME ZONE,
  -- Set once finished (PENDING_RESULT or COMPLETED): the record may be purged after expires_at.
  completed_at TIMESTAMP WITH TIME ZONE,
  expires_at TIMESTAMP WITH TIME ZONE,
  -- The frozen answer, COMPLETED only. Headers are a JSON object of name -> list of values.
  response_status INTEGER,
  response_headers VARCHAR(8000),
  response_body BYTEA,
  PRIMARY KEY (scope, idem_key)
);

CREATE INDEX idempotency_record_expires_at ON idempotency_record (expires_at);
CREATE INDEX idempotency_record_lease_expires_at ON idempotency_record (lease_expires_at);
