-- The order database's statements for one order, as the order service sends them on the normal
-- path (gremlin off, reservation answered in time): pgbench runs this file once per "transaction",
-- so its tps is the order database's own ceiling in orders/s for this commit pattern.
-- Keep it in step with IdempotentExecutor, JoinedClaim, JdbcIdempotencyStore, JdbcOrderStore and
-- OrderService: two commits per order (claim with its fencing token drawn by the insert + PENDING
-- row, then settle + stored answer), each a BEGIN..COMMIT below. A new key is not read first.
\set n random(1, 9000000000000000)
BEGIN;
INSERT INTO idempotency_record (scope, idem_key, fingerprint, state, fencing_token, created_at, lease_expires_at, completed_at, expires_at, response_status, response_headers, response_body) VALUES ('POST /orders', 'pgb-' || :n, repeat('a', 64), 'IN_PROGRESS', nextval('idempotency_fencing_token'), now(), now() + interval '30 seconds', NULL, NULL, NULL, NULL, NULL) ON CONFLICT DO NOTHING RETURNING fencing_token \gset
INSERT INTO orders (order_id, sku, quantity, status, message, created_at, updated_at) VALUES ('pgb-' || :n, 'sku-' || (:n % 16), 1, 'PENDING', 'order pgb-' || :n || ' is waiting for inventory', now(), now()) ON CONFLICT DO NOTHING;
COMMIT;
BEGIN;
UPDATE orders SET status = 'CONFIRMED', message = 'reserved', updated_at = now(), settled_at = now() WHERE order_id = 'pgb-' || :n AND status = 'PENDING';
UPDATE idempotency_record SET state = 'COMPLETED', lease_expires_at = NULL, completed_at = now(), expires_at = now() + interval '1 day', response_status = 201, response_headers = '{"Content-Type":["application/json"],"Location":["/orders/pgb"]}', response_body = convert_to(repeat('x', 200), 'UTF8') WHERE scope = 'POST /orders' AND idem_key = 'pgb-' || :n AND fencing_token = :fencing_token;
COMMIT;
