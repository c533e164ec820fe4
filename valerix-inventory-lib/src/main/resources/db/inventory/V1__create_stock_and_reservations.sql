-- Stock per SKU. total is the seeded quantity and never changes; available is what is left to
-- reserve. Conservation: total = available + SUM(quantity) of the SKU's RESERVED reservations.
CREATE TABLE inventory_stock (
  sku VARCHAR(64) NOT NULL,
  available INTEGER NOT NULL,
  total INTEGER NOT NULL,
  CONSTRAINT inventory_stock_pk PRIMARY KEY (sku),
  -- The conditional updates already keep available in range; these checks are the last line, so
  -- a bug fails loudly instead of creating or losing stock.
  CONSTRAINT inventory_stock_available_range CHECK (available >= 0 AND available <= total)
);

-- One row per order id, ever: the primary key is what makes a reservation exactly-once. A
-- CANCELLED row is a tombstone written by a release that came before any reservation; it has no
-- SKU and no quantity.
CREATE TABLE inventory_reservation (
  order_id VARCHAR(255) NOT NULL,
  sku VARCHAR(64),
  quantity INTEGER,
  status VARCHAR(16) NOT NULL,
  created_at TIMESTAMP WITH TIME ZONE NOT NULL,
  updated_at TIMESTAMP WITH TIME ZONE NOT NULL,
  CONSTRAINT inventory_reservation_pk PRIMARY KEY (order_id),
  CONSTRAINT inventory_reservation_sku_fk FOREIGN KEY (sku) REFERENCES inventory_stock (sku),
  CONSTRAINT inventory_reservation_status CHECK (status IN ('RESERVED', 'REJECTED', 'RELEASED', 'CANCELLED')),
  CONSTRAINT inventory_reservation_shape CHECK (
    (status = 'CANCELLED' AND sku IS NULL AND quantity IS NULL)
    OR (status <> 'CANCELLED' AND sku IS NOT NULL AND quantity > 0))
);

-- Serves the per-SKU sum of RESERVED quantities.
CREATE INDEX inventory_reservation_sku_status ON inventory_reservation (sku, status);
