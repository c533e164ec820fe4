package io.valerix.core.idempotency.internal;

import io.valerix.core.idempotency.IdempotencyRecord;
import io.valerix.core.idempotency.IdempotencyStore;
import io.valerix.core.idempotency.LeaseHolder;
import io.valerix.core.time.NanoClock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * {@link IdempotencyStore} in a {@link ConcurrentHashMap}: each primitive is one atomic map
 * operation, which gives it the same compare-and-set semantics as the JDBC store's statements.
 * Thread-safe; not shared between processes.
 */
public final class InMemoryIdempotencyStore implements IdempotencyStore {

    private record Id(String scope, String key) {}

    private final Map<Id, IdempotencyRecord> records = new ConcurrentHashMap<>();
    private final AtomicLong fencingTokens = new AtomicLong();
    /** Live holders and their last heartbeat, on the monotonic clock. */
    private final Map<LeaseHolder, Long> heartbeats = new ConcurrentHashMap<>();

    @Override
    public long nextFencingToken() {
        return fencingTokens.incrementAndGet();
    }

    @Override
    public LeaseHolder register(String instanceId) {
        LeaseHolder holder = new LeaseHolder(instanceId, nextFencingToken());
        heartbeats.keySet().removeIf(h -> h.instanceId().equals(instanceId) && h.epoch() < holder.epoch());
        heartbeats.put(holder, NanoClock.system().nanoTime());
        return holder;
    }

    @Override
    public boolean beat(LeaseHolder holder) {
        return heartbeats.replace(
                        Objects.requireNonNull(holder, "holder"),
                        NanoClock.system().nanoTime())
                != null;
    }

    @Override
    public void retire(LeaseHolder holder) {
        heartbeats.remove(Objects.requireNonNull(holder, "holder"));
    }

    @Override
    public boolean isAlive(LeaseHolder holder, Duration heartbeatTimeout) {
        Long beat = heartbeats.get(Objects.requireNonNull(holder, "holder"));
        return beat != null && NanoClock.system().nanoTime() - beat <= heartbeatTimeout.toNanos();
    }

    @Override
    public boolean insert(IdempotencyRecord record) {
        Objects.requireNonNull(record, "record");
        return records.putIfAbsent(new Id(record.scope(), record.key()), record) == null;
    }

    @Override
    public Optional<IdempotencyRecord> find(String scope, String key) {
        return Optional.ofNullable(
                records.get(new Id(Objects.requireNonNull(scope, "scope"), Objects.requireNonNull(key, "key"))));
    }

    @Override
    public boolean replace(long expectedFencingToken, IdempotencyRecord record) {
        Objects.requireNonNull(record, "record");
        boolean[] replaced = {false};
        records.computeIfPresent(new Id(record.scope(), record.key()), (id, current) -> {
            if (current.fencingToken() != expectedFencingToken) {
                return current;
            }
            replaced[0] = true;
            return record;
        });
        return replaced[0];
    }

    @Override
    public boolean delete(String scope, String key, long expectedFencingToken) {
        boolean[] deleted = {false};
        records.computeIfPresent(new Id(scope, key), (id, current) -> {
            if (current.fencingToken() != expectedFencingToken) {
                return current;
            }
            deleted[0] = true;
            return null;
        });
        return deleted[0];
    }

    @Override
    public int purgeExpired(Instant now, int limit) {
        return deleteOldest(
                r -> r.state() != IdempotencyRecord.State.IN_PROGRESS
                        && !r.expiresAt().isAfter(now),
                IdempotencyRecord::expiresAt,
                limit);
    }

    @Override
    public int releaseExpiredClaims(Instant now, int limit) {
        return deleteOldest(
                r -> r.state() == IdempotencyRecord.State.IN_PROGRESS
                        && !r.leaseExpiresAt().isAfter(now),
                IdempotencyRecord::leaseExpiresAt,
                limit);
    }

    private int deleteOldest(
            Predicate<IdempotencyRecord> expired, Function<IdempotencyRecord, Instant> age, int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be at least 1, but was " + limit);
        }
        List<IdempotencyRecord> candidates = records.values().stream()
                .filter(expired)
                .sorted(Comparator.comparing(age))
                .limit(limit)
                .toList();
        int deleted = 0;
        for (IdempotencyRecord candidate : candidates) {
            // remove(key, value) only removes the record we saw, not one that changed since.
            if (records.remove(new Id(candidate.scope(), candidate.key()), candidate)) {
                deleted++;
            }
        }
        return deleted;
    }
}
