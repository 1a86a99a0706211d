package io.valv.certificate;

import jakarta.enterprise.context.ApplicationScoped;

import io.valv.dpa.ProcessorName;

/** The processor's legal name from the certificates' configuration, for the record of processing. */
@ApplicationScoped
class ConfiguredProcessorName implements ProcessorName {

    private final CertificateConfig config;

    ConfiguredProcessorName(CertificateConfig config) {
        this.config = config;
    }

    @Override
    public String legalName() {
        return config.issuer();
    }
}
