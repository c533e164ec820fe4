-- Who holds a claim, so that a claim whose holder died is freed long before its lease ends.
--
-- A holder is one incarnation of a service instance: its instance id (stable across restarts of
-- the same instance, e.g. host and port) and its boot epoch (a value of idempotency_fencing_token
-- taken at start, so a later incarnation always has a larger epoch). An IN_PROGRESS record names
-- its holder; finished records and records written before this migration name none, and only
-- their lease frees them.
ALTER TABLE idempotency_record ADD COLUMN holder_instance VARCHAR(255);
ALTER TABLE idempotency_record ADD COLUMN holder_epoch BIGINT;
ALTER TABLE idempotency_record ADD CONSTRAINT idempotency_record_holder_whole
  CHECK ((holder_instance IS NULL) = (holder_epoch IS NULL));

-- One row per live incarnation, its heartbeat refreshed every heartbeat period with the
-- database's own clock (so clock differences between instances do not matter). A claim may be
-- taken over before its lease ends when its holder has no row here (it stopped, or a restart of
-- the same instance id retired it) or the row's heartbeat is older than the heartbeat timeout.
-- The fencing token still changes on every takeover, so a holder that was only stalled can no
-- longer record anything. Not journaled: liveness is not data, and after a restore every holder
-- is rightly dead.
CREATE TABLE idempotency_holder (
  instance_id VARCHAR(255) NOT NULL,
  epoch BIGINT NOT NULL,
  started_at TIMESTAMP WITH TIME ZONE NOT NULL,
  heartbeat_at TIMESTAMP WITH TIME ZONE NOT NULL,
  PRIMARY KEY (instance_id, epoch)
);
