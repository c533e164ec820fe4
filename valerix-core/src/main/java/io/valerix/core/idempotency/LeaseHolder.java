package io.valerix.core.idempotency;

import java.util.Objects;

/**
 * One incarnation of a service instance that holds idempotency claims: the instance's id, stable
 * across its restarts ({@link IdempotencyConfig#instanceId()}), and the boot epoch its store gave
 * this start, larger than the epoch of every earlier start.
 *
 * <p>A store keeps a heartbeat per live holder. A claim whose holder stopped heartbeating, or was
 * retired by a later start of the same instance id, can be taken over before its lease ends.
 * Immutable.
 *
 * @param instanceId the instance's id, 1 to 255 characters
 * @param epoch this incarnation's boot epoch, positive
 */
public record LeaseHolder(String instanceId, long epoch) {

    /**
     * @throws NullPointerException if {@code instanceId} is null
     * @throws IllegalArgumentException if it is empty or longer than 255 characters, or the epoch is
     *     not positive
     */
    public LeaseHolder {
        Objects.requireNonNull(instanceId, "instanceId");
        if (instanceId.isEmpty() || instanceId.length() > IdempotencyConfig.MAX_KEY_LENGTH) {
            throw new IllegalArgumentException("instanceId must be 1..255 characters, but was '" + instanceId + "'");
        }
        if (epoch <= 0) {
            throw new IllegalArgumentException("epoch must be positive, but was " + epoch);
        }
    }

    @Override
    public String toString() {
        return instanceId + "#" + epoch;
    }
}
