package io.valv.notify;

import java.sql.PreparedStatement;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import org.hibernate.Session;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.logging.Log;
import io.quarkus.mailer.Mail;
import io.quarkus.mailer.Mailer;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.qute.Engine;
import io.quarkus.qute.Template;
import io.quarkus.scheduler.Scheduled;
import io.valv.audit.Actions;
import io.valv.audit.AuditEntry;
import io.valv.audit.AuditLog;
import io.valv.client.Client;
import io.valv.client.ClientService;
import io.valv.security.AccessPolicy;
import io.valv.security.Caller;
import io.valv.web.ProblemException;
import io.valv.web.ProblemType;

/**
 * The same notices by email to the client's contact address, through an outbox like the webhooks':
 * {@link #enqueue} writes a row in the change's transaction, {@link #run} sends due rows after commit
 * (claimed with {@code FOR UPDATE SKIP LOCKED} and a lease, so replicas never both send one; at least
 * once). Subject and body come from Qute templates {@code notify/<type>.<language>.txt}, English or Swedish.
 */
@ApplicationScoped
public class EmailNotices {

    static final List<String> LANGUAGES = List.of("en", "sv");
    /**
     * Sent by email whatever the setting says: a breach notice is the processor's legal duty (Art. 33(2)), which
     * a setting made for convenience must not silence. Webhooks still follow each endpoint's subscription.
     */
    /** Sent whatever the client chose: a breach notice (Art. 33(2)), and an endpoint of its that stopped working. */
    static final Set<String> ALWAYS_EMAILED = Set.of("incident.notified", WebhookWorker.FAILING);
    private static final int BATCH = 20;

    private final EntityManager em;
    private final EmailSettingRepository settings;
    private final ClientService clients;
    private final Mailer mailer;
    private final AuditLog audit;
    private final Engine qute;
    private final NotifyConfig config;
    private final Clock clock;
    private final ObjectMapper json;

    EmailNotices(EntityManager em, EmailSettingRepository settings, ClientService clients, Mailer mailer, AuditLog audit,
            Engine qute, NotifyConfig config, Clock clock, ObjectMapper json) {
        this.audit = audit;
        this.em = em;
        this.settings = settings;
        this.clients = clients;
        this.mailer = mailer;
        this.qute = qute;
        this.config = config;
        this.clock = clock;
        this.json = json;
    }

    private static void requireAdmin(Caller caller, String clientId) {
        if (!AccessPolicy.mayKnowOf(caller, clientId)) {
            throw ProblemException.notFound("Client");
        }
        if (!AccessPolicy.mayManageClientSettings(caller, clientId)) {
            throw ProblemException.forbidden("Only the client's admin sets its email notices.");
        }
    }

    /** The client's setting; with no row stored, every type in English. */
    @Transactional
    public Setting get(Caller caller, String clientId) {
        requireAdmin(caller, clientId);
        return settingOf(clientId);
    }

    @Transactional
    public Setting put(Caller caller, String clientId, List<String> events, String language) {
        requireAdmin(caller, clientId);
        if (events == null || !WebhookService.EVENT_TYPES.containsAll(events) || !LANGUAGES.contains(language)) {
            throw new ProblemException(ProblemType.VALIDATION,
                    "events must be a subset of " + WebhookService.EVENT_TYPES + " and language one of " + LANGUAGES + ".");
        }
        EmailSetting s = settings.findById(clientId);
        boolean fresh = s == null;
        if (fresh) {
            s = new EmailSetting();
            s.clientId = clientId;
        }
        s.events = String.join(",", new java.util.TreeSet<>(events));
        s.language = language;
        if (fresh) {
            settings.persist(s); // after the fields are set: the insert takes the state at persist time
        }
        // the client's instruction, on its chain (the contact address itself is the client record's, not logged here)
        audit.append(AuditEntry.of(Actions.EMAIL_SETTINGS_UPDATE).by(caller).client(clientId)
                .detail("instruction: events " + (s.events.isEmpty() ? "none" : s.events) + "; language " + s.language));
        return new Setting(s.eventList(), s.language);
    }

    private Setting settingOf(String clientId) {
        EmailSetting s = settings.findById(clientId);
        return s == null ? new Setting(List.copyOf(new java.util.TreeSet<>(WebhookService.EVENT_TYPES)), "en")
                : new Setting(s.eventList(), s.language);
    }

    /** In the change's transaction: one row if the client has a contact address and wants this type. */
    @Transactional(Transactional.TxType.MANDATORY)
    void enqueue(String clientId, String type, Map<String, Object> data) {
        enqueueAll(clientId, List.of(new Notice(type, data)));
    }

    /**
     * {@link #enqueue} for several notices of one client: its contact and setting read once, the rows inserted in
     * one JDBC batch (a native statement per row would also make Hibernate flush the session before each).
     */
    @Transactional(Transactional.TxType.MANDATORY)
    void enqueueAll(String clientId, List<Notice> notices) {
        Client client = clients.require(clientId);
        if (client.contact == null || client.contact.isBlank()) {
            return;
        }
        Setting s = settingOf(clientId);
        List<Notice> wanted = notices.stream()
                .filter(n -> s.events().contains(n.type()) || ALWAYS_EMAILED.contains(n.type())).toList();
        if (wanted.isEmpty()) {
            return;
        }
        OffsetDateTime now = Instant.now(clock).atOffset(ZoneOffset.UTC);
        em.unwrap(Session.class).doWork(connection -> {
            try (PreparedStatement insert = connection.prepareStatement("insert into email_outbox (id, client_id,"
                    + " to_address, language, event_type, data, created_at, status, next_attempt_at)"
                    + " values (?, ?, ?, ?, ?, ?, ?, 'PENDING', ?)")) {
                for (Notice n : wanted) {
                    insert.setObject(1, UUID.randomUUID());
                    insert.setString(2, clientId);
                    insert.setString(3, client.contact);
                    insert.setString(4, s.language());
                    insert.setString(5, n.type());
                    insert.setString(6, serialized(n.data()));
                    insert.setObject(7, now);
                    insert.setObject(8, now);
                    insert.addBatch();
                }
                insert.executeBatch();
            }
        });
    }

    private String serialized(Map<String, Object> data) {
        try {
            return json.writeValueAsString(data);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("notice not serializable", e);
        }
    }

    /** Every active client with a contact address: the audience of a change to the shared register. */
    @SuppressWarnings("unchecked")
    @Transactional(Transactional.TxType.MANDATORY)
    List<String> clientsWithContact() {
        return em.createNativeQuery("select id from client where status = 'ACTIVE' and contact is not null")
                .getResultList();
    }

    @Scheduled(every = "${valv.notify.every:5s}", delayed = "2s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void run() {
        try {
            List<Object[]> claimed;
            do {
                claimed = QuarkusTransaction.requiringNew().call(this::claim);
                for (Object[] row : claimed) {
                    send(row);
                }
            } while (claimed.size() == BATCH);
        } catch (RuntimeException e) {
            Log.warnf("email notice run failed, retried next run: %s", e.getClass().getSimpleName());
        }
    }

    @SuppressWarnings("unchecked")
    private List<Object[]> claim() {
        Instant now = Instant.now(clock);
        List<Object[]> rows = em.createNativeQuery("select id, to_address, language, event_type, data, attempts"
                + " from email_outbox where status = 'PENDING' and next_attempt_at <= ?1 order by created_at, id"
                + " limit ?2 for update skip locked").setParameter(1, now).setParameter(2, BATCH).getResultList();
        for (Object[] row : rows) {
            em.createNativeQuery("update email_outbox set next_attempt_at = ?1 where id = ?2")
                    .setParameter(1, now.plus(config.timeout().multipliedBy(2)).plusSeconds(30)).setParameter(2, row[0])
                    .executeUpdate();
        }
        return rows;
    }

    private void send(Object[] row) {
        UUID id = (UUID) row[0];
        int attempts = ((Number) row[5]).intValue() + 1;
        boolean ok;
        try {
            Map<String, Object> data = json.readValue((String) row[4], new TypeReference<Map<String, Object>>() {
            });
            Template template = qute.getTemplate("notify/" + row[3] + "." + row[2] + ".txt");
            String text = template.data("data", data).data("type", row[3]).render();
            // the template's first line is the subject, the rest the body
            int nl = text.indexOf('\n');
            mailer.send(Mail.withText((String) row[1], text.substring(0, nl).trim(), text.substring(nl + 1).strip() + "\n"));
            ok = true;
        } catch (RuntimeException | JsonProcessingException e) {
            Log.infof("email notice %s not sent (attempt %d): %s", id, attempts, e.getClass().getSimpleName());
            ok = false;
        }
        boolean sent = ok;
        QuarkusTransaction.requiringNew().run(() -> {
            String status = sent ? "SENT" : attempts >= config.maxAttempts() ? "FAILED" : "PENDING";
            if (status.equals("PENDING")) {
                Instant next = Instant.now(clock)
                        .plus(WebhookWorker.backoff(attempts, config.backoffBase(), config.backoffMax()));
                em.createNativeQuery("update email_outbox set attempts = ?1, next_attempt_at = ?2 where id = ?3")
                        .setParameter(1, attempts).setParameter(2, next).setParameter(3, id).executeUpdate();
            } else {
                em.createNativeQuery("update email_outbox set status = ?1, attempts = ?2, next_attempt_at = null where id = ?3")
                        .setParameter(1, status).setParameter(2, attempts).setParameter(3, id).executeUpdate();
            }
        });
    }

    public record Setting(List<String> events, String language) {
    }
}
