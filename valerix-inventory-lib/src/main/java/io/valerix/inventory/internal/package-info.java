/**
 * How the inventory works: the JDBC store and its SQL, input rules, and the HTTP routes. Users
 * need none of it; the public API is {@link io.valerix.inventory}.
 */
package io.valerix.inventory.internal;
