package io.valv.uploadlink;

import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;

@ApplicationScoped
class UploadLinkRepository implements PanacheRepositoryBase<UploadLink, UUID> {

    UploadLink byTokenHash(byte[] sha256) {
        return find("tokenSha256", sha256).firstResult();
    }

    /** The link's row locked until the transaction ends: one upload at a time is admitted against its limits. */
    UploadLink locked(UUID id) {
        return findById(id, LockModeType.PESSIMISTIC_WRITE);
    }

    List<UploadLink> ofJob(UUID jobId) {
        return list("jobId = ?1 order by createdAt desc", jobId);
    }
}
