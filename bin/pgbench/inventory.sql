-- The inventory database's statements for one reservation (JdbcInventoryService.reserve on a new
-- order id, PostgreSQL, journal off): one statement in auto-commit that takes the stock and
-- inserts the reservation, RESERVED or REJECTED as the update says (a repeat fails the primary key
-- and then reads the row, not measured here). Keep it in step with InventorySql.RESERVE_IN_ONE_STATEMENT.
-- 16 SKUs, as the wrk load spreads its orders over 16 SKUs (one SKU would serialise every order
-- on one stock row's lock for the length of a commit).
\set n random(1, 9000000000000000)
WITH taken AS (UPDATE inventory_stock SET available = available - 1 WHERE sku = 'sku-' || (:n % 16) AND available >= 1 RETURNING sku) INSERT INTO inventory_reservation (order_id, sku, quantity, status, created_at, updated_at) SELECT 'pgb-' || :n, 'sku-' || (:n % 16), 1, CASE WHEN EXISTS (SELECT 1 FROM taken) THEN 'RESERVED' ELSE 'REJECTED' END, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP RETURNING status;
