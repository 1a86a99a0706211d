package io.valv.client;

/** Fired inside the transaction that offboards a client, after its key has been destroyed. */
public record ClientOffboarded(String clientId) {
}
