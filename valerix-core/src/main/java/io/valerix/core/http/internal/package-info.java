/**
 * Implementation of {@link io.valerix.core.http}: the Jetty handler that dispatches exchanges to
 * routes through the filter chain, body readers with their size and rate limits, the route table,
 * the error handler that answers with problem details, and the shared OkHttp resources. Not API.
 */
package io.valerix.core.http.internal;
