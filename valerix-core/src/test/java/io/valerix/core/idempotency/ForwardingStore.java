package io.valerix.core.idempotency;

import java.time.Instant;
import java.util.Optional;

/** A store that passes everything to another; tests override a method to watch or break it. */
class ForwardingStore implements IdempotencyStore {

    private final IdempotencyStore delegate;

    ForwardingStore(IdempotencyStore delegate) {
        this.delegate = delegate;
    }

    @Override
    public long nextFencingToken() {
        return delegate.nextFencingToken();
    }

    @Override
    public boolean insert(IdempotencyRecord record) {
        return delegate.insert(record);
    }

    @Override
    public Optional<IdempotencyRecord> find(String scope, String key) {
        return delegate.find(scope, key);
    }

    @Override
    public boolean replace(long expectedFencingToken, IdempotencyRecord record) {
        return delegate.replace(expectedFencingToken, record);
    }

    @Override
    public boolean delete(String scope, String key, long expectedFencingToken) {
        return delegate.delete(scope, key, expectedFencingToken);
    }

    @Override
    public int purgeExpired(Instant now, int limit) {
        return delegate.purgeExpired(now, limit);
    }

    @Override
    public int releaseExpiredClaims(Instant now, int limit) {
        return delegate.releaseExpiredClaims(now, limit);
    }
}
