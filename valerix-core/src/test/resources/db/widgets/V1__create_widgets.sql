-- A table for the backup tests: one of each kind of column the stores use.
CREATE TABLE widget (
  id VARCHAR(64) NOT NULL,
  n INTEGER NOT NULL,
  note VARCHAR(200),
  data BYTEA,
  price NUMERIC(12, 4),
  at TIMESTAMP WITH TIME ZONE,
  CONSTRAINT widget_pk PRIMARY KEY (id)
);

-- Every write of the counter row takes the next value, so its journal images are in commit order.
CREATE TABLE tally (
  id INTEGER NOT NULL,
  total BIGINT NOT NULL,
  CONSTRAINT tally_pk PRIMARY KEY (id)
);

INSERT INTO tally (id, total) VALUES (1, 0);

CREATE SEQUENCE widget_token START WITH 1 INCREMENT BY 1 CACHE 1;
