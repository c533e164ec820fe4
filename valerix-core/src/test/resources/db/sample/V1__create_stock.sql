-- A table with a conditional update, the shape the stores use.
CREATE TABLE sample_stock (
  sku VARCHAR(64) PRIMARY KEY,
  available INTEGER NOT NULL CHECK (available >= 0)
);
