-- One row per order, forever: order_id stays unique even after idempotency records expire, so a
-- late duplicate can never create a second order.
CREATE TABLE orders (
  order_id      VARCHAR(255) PRIMARY KEY,
  sku           VARCHAR(64)  NOT NULL,
  quantity      INTEGER      NOT NULL CHECK (quantity > 0),
  status        VARCHAR(16)  NOT NULL,
  message       VARCHAR(500) NOT NULL,
  created_at    TIMESTAMP WITH TIME ZONE NOT NULL,
  updated_at    TIMESTAMP WITH TIME ZONE NOT NULL,
  settled_at    TIMESTAMP WITH TIME ZONE,
  CHECK (status IN ('PENDING', 'CONFIRMED', 'REJECTED', 'FAILED'))
);

CREATE INDEX orders_pending ON orders (status, created_at);
