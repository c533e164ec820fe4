-- The change journal: one row per captured write, numbered without holes in commit order.
-- Runs unchanged on H2 (MODE=PostgreSQL) and PostgreSQL.
--
-- Numbers come from the single counter row, updated in the writing transaction itself, not from
-- a sequence: a sequence hands out numbers outside the transaction, so a rollback leaves a hole
-- and two writers can commit in the opposite order of their numbers. The counter row's lock is
-- held until commit, so the next writer can only take the next number after this one committed.
CREATE TABLE valerix_journal_counter (
  id INTEGER NOT NULL,
  last_seq BIGINT NOT NULL,
  -- The time stamped on the last journal row; a new row gets at least this (clocks may step back).
  last_at TIMESTAMP WITH TIME ZONE NOT NULL,
  CONSTRAINT valerix_journal_counter_pk PRIMARY KEY (id),
  CONSTRAINT valerix_journal_counter_single CHECK (id = 1)
);

INSERT INTO valerix_journal_counter (id, last_seq, last_at) VALUES (1, 0, TIMESTAMP WITH TIME ZONE '1970-01-01 00:00:00+00');

-- Rows wait here until the archiver has shipped them, then it deletes them.
CREATE TABLE valerix_journal (
  seq BIGINT NOT NULL,
  -- When the writing transaction captured its changes, just before it committed; the same for
  -- every row of one transaction, and never decreasing with seq.
  committed_at TIMESTAMP WITH TIME ZONE NOT NULL,
  table_name VARCHAR(128) NOT NULL,
  op VARCHAR(8) NOT NULL,
  -- JSON objects: column -> value. row_image is the row after the write, NULL when it was deleted.
  row_key VARCHAR NOT NULL,
  row_image VARCHAR,
  CONSTRAINT valerix_journal_pk PRIMARY KEY (seq),
  CONSTRAINT valerix_journal_op CHECK (op IN ('PUT', 'DELETE'))
);
