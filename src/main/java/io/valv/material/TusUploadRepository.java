package io.valv.material;

import java.time.Instant;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;

@ApplicationScoped
class TusUploadRepository implements PanacheRepositoryBase<TusUpload, String> {

    private static final int SKIP_LOCKED = -2;

    TusUpload locked(String id) {
        return findById(id, LockModeType.PESSIMISTIC_WRITE);
    }

    /** One PATCH at a time per upload, across replicas: a lease, not a lock held over the transfer. */
    boolean takeLease(String id, String token, Instant now, Instant until) {
        return update("leaseToken = ?1, leaseUntil = ?2 where id = ?3 and (leaseUntil is null or leaseUntil < ?4)",
                token, until, id, now) == 1;
    }

    void releaseLease(String id, String token) {
        update("leaseToken = null, leaseUntil = null where id = ?1 and leaseToken = ?2", id, token);
    }

    /** Records a stored part and drops its commitment, in one round trip (a request records one per part). */
    void addPart(String id, int partNumber, String etag) {
        getEntityManager().createNativeQuery("with committed as (delete from tus_pending_part where upload_id = ?1 "
                + "and part_number = ?2) insert into tus_upload_part (upload_id, part_number, etag) values (?1, ?2, ?3)")
                .setParameter(1, id).setParameter(2, partNumber).setParameter(3, etag).executeUpdate();
    }

    /** The plaintext tag a part was committed to before its ciphertext left, if it is not recorded yet. */
    @SuppressWarnings("unchecked")
    java.util.Optional<byte[]> pendingTag(String id, int partNumber) {
        List<byte[]> tags = getEntityManager()
                .createNativeQuery("select tag from tus_pending_part where upload_id = ?1 and part_number = ?2")
                .setParameter(1, id).setParameter(2, partNumber).getResultList();
        return tags.stream().findFirst();
    }

    /**
     * Commits to a part's tag unless a commitment for that part is there already (left by an earlier attempt).
     *
     * @return whether this call made the commitment
     */
    boolean reservePending(String id, int partNumber, byte[] tag) {
        return getEntityManager().createNativeQuery("insert into tus_pending_part (upload_id, part_number, tag) "
                + "values (?1, ?2, ?3) on conflict (upload_id, part_number) do nothing").setParameter(1, id)
                .setParameter(2, partNumber).setParameter(3, tag).executeUpdate() == 1;
    }

    @SuppressWarnings("unchecked")
    List<String> etags(String id) {
        return getEntityManager()
                .createNativeQuery("select etag from tus_upload_part where upload_id = ?1 order by part_number")
                .setParameter(1, id).getResultList();
    }

    /** The sealed tail of the part starting at {@code partStart}, if one is kept. */
    @SuppressWarnings("unchecked")
    java.util.Optional<byte[]> tail(String id, long partStart) {
        List<byte[]> sealed = getEntityManager()
                .createNativeQuery("select sealed from tus_upload_tail where upload_id = ?1 and part_start = ?2")
                .setParameter(1, id).setParameter(2, partStart).getResultList();
        return sealed.stream().findFirst();
    }

    void saveTail(String id, long partStart, byte[] sealed) {
        deleteTail(id);
        getEntityManager().createNativeQuery("insert into tus_upload_tail (upload_id, part_start, sealed) values (?1, ?2, ?3)")
                .setParameter(1, id).setParameter(2, partStart).setParameter(3, sealed).executeUpdate();
    }

    void deleteTail(String id) {
        getEntityManager().createNativeQuery("delete from tus_upload_tail where upload_id = ?1").setParameter(1, id)
                .executeUpdate();
    }

    void deleteWithParts(TusUpload upload) {
        deleteTail(upload.id);
        getEntityManager().createNativeQuery("delete from tus_upload_part where upload_id = ?1").setParameter(1, upload.id)
                .executeUpdate();
        getEntityManager().createNativeQuery("delete from tus_pending_part where upload_id = ?1").setParameter(1, upload.id)
                .executeUpdate();
        delete(upload);
    }

    /** Expired rows for this replica alone; other replicas skip what it holds. */
    List<TusUpload> expired(Instant now, int limit) {
        return find("expiresAt < ?1 and (leaseUntil is null or leaseUntil < ?1)", now)
                .withLock(LockModeType.PESSIMISTIC_WRITE).withHint("jakarta.persistence.lock.timeout", SKIP_LOCKED)
                .page(0, limit).list();
    }
}
