package io.valv.certificate;

import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;

@ApplicationScoped
class DeletionCertificateRepository implements PanacheRepositoryBase<DeletionCertificate, UUID> {

    List<DeletionCertificate> ofClient(String clientId) {
        return list("clientId = ?1 order by issuedAt desc", clientId);
    }

    List<DeletionCertificate> all() {
        return list("order by issuedAt desc");
    }

    boolean existsForMaterial(UUID materialId) {
        return count("materialId = ?1 and scope = 'material'", materialId) > 0;
    }
}
