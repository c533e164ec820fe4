package io.valerix.core.idempotency.internal;

import io.valerix.core.http.Problem;
import io.valerix.core.http.ProblemException;
import io.valerix.core.idempotency.IdempotencyProblems;

/**
 * Another request took the key between the filter's check and this request's claim (or took an
 * expired claim over before this one completed); this request's transaction was rolled back
 * whole. The filter answers it as it answers a retry. It is a 409 in-progress problem so that,
 * should the server turn it into an answer before it reaches the filter, it is a quiet 409 and
 * not a logged 500; the filter replaces that answer anyway.
 */
public final class ClaimLostException extends ProblemException {

    private static final long serialVersionUID = 1L;

    ClaimLostException(String message) {
        super(Problem.of(IdempotencyProblems.REQUEST_IN_PROGRESS, message), "1");
    }
}
