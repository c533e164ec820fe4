package io.valerix.order;

/** The service token the order tests' inventories are started with and their order services send. */
final class ServiceTokens {

    static final String SERVICE_TOKEN = "test-service-token-0123456789";

    private ServiceTokens() {}
}
