-- The reconciler's claim on a PENDING order: until settle_lease_until passes, other reconcilers
-- (other order-service instances on this database) leave the order alone. A batch is claimed in
-- one transaction with FOR UPDATE SKIP LOCKED, so concurrent claimers take disjoint batches; the
-- lease makes a claim left by a crashed reconciler expire instead of blocking the order forever.
-- Settling itself stays conditional on status = 'PENDING', so even an order claimed twice (a lease
-- that ran out mid-settle) is settled once.
ALTER TABLE orders ADD COLUMN settle_lease_until TIMESTAMP WITH TIME ZONE;
