package io.valv.audit;

/** How an audited attempt ended. */
public enum Outcome {
    OK,
    /** Refused by an authorization or business rule (401, 403, 404, 409, 400). */
    DENIED,
    ERROR;

    public String wire() {
        return name().toLowerCase();
    }
}
