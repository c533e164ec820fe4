package io.valerix.core.http;

/**
 * A call failed in transit: connection refused or reset, or the reply broke off. The server may or
 * may not have acted on the request, so the outcome of a state-changing call is unknown.
 */
public class TransportException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  public TransportException(String message, Throwable cause) {
    super(message, cause);
  }
}
