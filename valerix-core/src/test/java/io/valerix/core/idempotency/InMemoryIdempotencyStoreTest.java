package io.valerix.core.idempotency;

import org.junit.jupiter.api.BeforeEach;

class InMemoryIdempotencyStoreTest extends IdempotencyStoreContract {

    private IdempotencyStore store;

    @BeforeEach
    void newStore() {
        store = IdempotencyStore.inMemory();
    }

    @Override
    IdempotencyStore store() {
        return store;
    }
}
