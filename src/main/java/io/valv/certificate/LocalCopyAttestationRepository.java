package io.valv.certificate;

import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;

@ApplicationScoped
class LocalCopyAttestationRepository implements PanacheRepositoryBase<LocalCopyAttestation, LocalCopyAttestation.Key> {

    List<LocalCopyAttestation> ofJob(UUID jobId) {
        return list("key.jobId = ?1 order by attestedAt", jobId);
    }
}
