package io.valv.certificate;

import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
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

    /** Those of {@code materialIds} that have their material certificate already (a purge batch run again). */
    Set<UUID> materialsCertified(Collection<UUID> materialIds) {
        return new HashSet<>(getEntityManager().createQuery("select c.materialId from DeletionCertificate c"
                + " where c.materialId in ?1 and c.scope = 'material'", UUID.class).setParameter(1, materialIds)
                .getResultList());
    }
}
