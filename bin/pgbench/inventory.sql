-- The inventory database's statements for one reservation (JdbcInventoryService.reserve on a new
-- order id): one transaction that inserts the reservation (ON CONFLICT DO NOTHING: a repeat reads
-- the existing row instead, not measured here) and takes the stock.
-- 16 SKUs, as the wrk load spreads its orders over 16 SKUs (one SKU would serialise every order
-- on one stock row's lock for the length of a commit).
\set n random(1, 9000000000000000)
BEGIN;
INSERT INTO inventory_reservation (order_id, sku, quantity, status, created_at, updated_at) VALUES ('pgb-' || :n, 'sku-' || (:n % 16), 1, 'RESERVED', now(), now()) ON CONFLICT DO NOTHING;
UPDATE inventory_stock SET available = available - 1 WHERE sku = 'sku-' || (:n % 16) AND available >= 1;
COMMIT;
