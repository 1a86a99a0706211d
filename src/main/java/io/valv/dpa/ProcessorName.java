package io.valv.dpa;

/**
 * The processor's legal name, as the record of processing (Art. 30(2)) states it. Owned here, implemented by
 * the certificate feature, which configures the processor's identity for its certificates: the two
 * documents name the processor alike, and {@code dpa} does not depend on {@code certificate}.
 */
public interface ProcessorName {

    String legalName();
}
