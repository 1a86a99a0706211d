package io.valv.dpa;

import java.util.UUID;

/** Fired inside the transaction that terminates a DPA: everything processed under it must go. */
public record DpaTerminated(UUID dpaId, String clientId) {
}
