/**
 * Implementation details of {@link io.valerix.core.gremlin}: parsers, JSON codecs, the
 * counter-based random numbers and the bookkeeping of a gremlin. Not an API; may change at any
 * time.
 */
package io.valerix.core.gremlin.internal;
