package io.valerix.core.idempotency.internal;

/**
 * Another request took the key between the filter's check and this request's claim (or took an
 * expired claim over before this one completed); this request's transaction was rolled back
 * whole. The filter catches it and answers as it answers a retry.
 */
public final class ClaimLostException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  ClaimLostException(String message) {
    super(message, null, false, false);
  }
}
