package io.valv.notify;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;

import io.quarkus.logging.Log;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;

/**
 * {@code material.expiring}: N days before a stored material's {@code expiresAt} (valv.notify.expiring-lead-days),
 * once per material and lead time. "Once" holds across replicas and restarts through the primary key of
 * {@code expiry_notice}: the replica whose insert wins writes the outbox row, in the same transaction. A
 * material first seen inside the shortest window gets that one notice only, not every longer one too.
 * Reads the material table directly (stored rows only), as a report does; it writes nothing there.
 */
@ApplicationScoped
class ExpiryNotices {

    private final EntityManager em;
    private final NotificationTriggers notices;
    private final NotifyConfig config;
    private final Clock clock;

    ExpiryNotices(EntityManager em, NotificationTriggers notices, NotifyConfig config, Clock clock) {
        this.em = em;
        this.notices = notices;
        this.config = config;
        this.clock = clock;
    }

    @Scheduled(every = "${valv.notify.expiring-every:1h}", delayed = "3s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void run() {
        try {
            scan();
        } catch (RuntimeException e) {
            Log.warnf("expiry notice scan failed, retried next run: %s", e.getClass().getSimpleName());
        }
    }

    /** Returns the number of notices written. */
    @SuppressWarnings("unchecked")
    int scan() {
        TreeSet<Integer> leads = new TreeSet<>(config.expiringLeadDays());
        if (leads.isEmpty()) {
            return 0;
        }
        Instant now = Instant.now(clock);
        Instant horizon = now.plus(Duration.ofDays(leads.last()));
        List<Object[]> due = QuarkusTransaction.requiringNew().call(() -> em.createNativeQuery(
                "select id, client_id, job_id, filename, expires_at from material where state = 'STORED'"
                        + " and expires_at > ?1 and expires_at <= ?2 order by expires_at limit 500")
                .setParameter(1, now).setParameter(2, horizon).getResultList());
        int written = 0;
        for (Object[] row : due) {
            UUID material = (UUID) row[0];
            Instant expiresAt = row[4] instanceof java.sql.Timestamp t ? t.toInstant()
                    : row[4] instanceof java.time.OffsetDateTime o ? o.toInstant() : (Instant) row[4];
            int lead = leads.ceiling((int) Math.max(0, Duration.between(now, expiresAt).toDays()));
            boolean sent = QuarkusTransaction.requiringNew().call(() -> {
                int inserted = 0;
                // the window it is in, and every longer one: a later scan must not send the 30-day notice after the 7-day one
                for (int l : leads.tailSet(lead, true)) {
                    int n = em.createNativeQuery("insert into expiry_notice (material_id, lead_days, sent_at)"
                            + " values (?1, ?2, ?3) on conflict do nothing").setParameter(1, material).setParameter(2, l)
                            .setParameter(3, now).executeUpdate();
                    if (l == lead) {
                        inserted = n;
                    }
                }
                if (inserted == 0) {
                    return false;
                }
                Map<String, Object> data = new LinkedHashMap<>();
                data.put("materialId", material.toString());
                data.put("clientId", row[1]);
                data.put("jobId", row[2].toString());
                data.put("filename", row[3]);
                data.put("expiresAt", expiresAt.toString());
                data.put("daysLeft", lead);
                data.put("whatHappens", "The material is purged (object deleted, data key destroyed) at expiresAt and a"
                        + " deletion certificate is issued. Export it before then with GET /api/v1/clients/" + row[1]
                        + "/export?jobId=" + row[2] + ".");
                notices.publish((String) row[1], "material.expiring", data);
                return true;
            });
            written += sent ? 1 : 0;
        }
        return written;
    }
}
