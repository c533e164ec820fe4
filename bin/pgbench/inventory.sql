-- The inventory database's statements for one reservation (JdbcInventoryService.reserve on a new
-- order id): two reads, then one transaction that inserts the reservation and takes the stock.
-- 16 SKUs, as the wrk load spreads its orders over 16 SKUs (one SKU would serialise every order
-- on one stock row's lock for the length of a commit).
\set n random(1, 9000000000000000)
SELECT sku, quantity, status FROM inventory_reservation WHERE order_id = 'pgb-' || :n;
SELECT 1 FROM inventory_stock WHERE sku = 'sku-' || (:n % 16);
BEGIN;
INSERT INTO inventory_reservation (order_id, sku, quantity, status, created_at, updated_at) VALUES ('pgb-' || :n, 'sku-' || (:n % 16), 1, 'RESERVED', now(), now());
UPDATE inventory_stock SET available = available - 1 WHERE sku = 'sku-' || (:n % 16) AND available >= 1;
COMMIT;
