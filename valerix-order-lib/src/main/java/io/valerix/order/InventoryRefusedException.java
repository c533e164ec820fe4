package io.valerix.order;

/** Inventory refused a request as invalid (for example an unknown SKU): nothing was reserved. */
public class InventoryRefusedException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String problemType;

    public InventoryRefusedException(String problemType, String message, Throwable cause) {
        super(message, cause);
        this.problemType = problemType;
    }

    /** Inventory's problem type, for example {@code urn:valerix:problem:unknown-sku}. */
    public String problemType() {
        return problemType;
    }
}
