package io.valv.audit;

import java.util.UUID;

/** Where an appended event landed in the chain (e.g. for a certificate to cite its purge event). */
public record AppendedEvent(UUID id, long seq, String hash, Long clientSeq) {
}
