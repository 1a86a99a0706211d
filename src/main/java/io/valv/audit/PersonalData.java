package io.valv.audit;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import io.valv.crypto.EnvelopeCrypto;
import io.valv.web.ProblemException;

/**
 * The personal fields of an event (actor subject, client address, user agent) as they are stored, in the
 * mode {@code valv.audit.personal-data} (docs/audit.md, "Personal data in events").
 *
 * <p>
 * In {@code per-client-pseudonyms} mode an event that belongs to a client stores, for each personal field,
 * {@code "psn:" + hex(HMAC-SHA256(k, field ‖ 0x00 ‖ value))[0..32]}, where {@code k} is the client's audit
 * pseudonym key ({@link EnvelopeCrypto#auditPseudonymKey}, derived from the client key). The chain hashes
 * exactly what is stored, so verification never needs the key; once offboarding destroys the client key
 * the pseudonyms can no longer be recomputed, by anyone. The key is derived per event and never cached:
 * a cached copy would outlive the offboarding on this or another replica.
 */
@ApplicationScoped
class PersonalData {

    /** Marks a stored value as a pseudonym (or withheld), never a clear value. */
    static final String PREFIX = "psn:";
    /** What a personal field of a client's event becomes once the client's key is destroyed. */
    static final String WITHHELD = PREFIX + "withheld";

    private final AuditConfig config;
    private final ClientKeys clients;
    private final EnvelopeCrypto crypto;

    PersonalData(AuditConfig config, ClientKeys clients, EnvelopeCrypto crypto) {
        this.config = config;
        this.clients = clients;
        this.crypto = crypto;
    }

    boolean pseudonymous() {
        return config.personalData() == AuditConfig.PersonalDataMode.PER_CLIENT_PSEUDONYMS;
    }

    /**
     * The draft with its personal fields as they are to be stored. Unchanged in clear mode, without a client,
     * or when the client does not exist (a refusal filed under an unknown client claim: there is no client
     * relationship whose end could shred anything). The system actor is not a person and stays legible, so an
     * offboarded client's purge still shows who did it.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    EventDraft protect(EventDraft d) {
        return protect(d, false);
    }

    /**
     * {@link #protect} for a draft built from stored rows (a range-read summary): values already stored as
     * pseudonyms pass unchanged, values stored in clear (rows written before the mode was switched on) are
     * pseudonymised. Fresh request values are always pseudonymised, even one that looks like a pseudonym.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    EventDraft protectStored(EventDraft d) {
        return protect(d, true);
    }

    private EventDraft protect(EventDraft d, boolean stored) {
        if (!pseudonymous() || d.clientId() == null
                || (isSystemOrNull(d.actorSubject()) && d.clientIp() == null && d.userAgent() == null)) {
            return d;
        }
        ClientKeys.ClientKey client = clients.find(d.clientId()).orElse(null);
        if (client == null) {
            return d;
        }
        if (client.wrappedKey() == null) {
            // offboarded: the key is gone, and a clear value here would re-link a person to the client
            return d.withPersonal(withhold(d.actorSubject()), withhold(d.clientIp()), withhold(d.userAgent()));
        }
        byte[] key = crypto.auditPseudonymKey(client.clientId(), client.wrappedKey());
        try {
            return d.withPersonal(subject(key, d.actorSubject(), stored), of(key, "ip", d.clientIp(), stored),
                    of(key, "user-agent", d.userAgent(), stored));
        } finally {
            Arrays.fill(key, (byte) 0);
        }
    }

    /**
     * The stored actor values that name this person, for the auditor's {@code actor} filter: the clear name
     * (events without a client, and events written in clear mode) and, in pseudonym mode, the person's
     * pseudonym under the one client asked for, or under every client whose key still exists. Names a
     * destroyed key with a 409: after offboarding nobody can tell which pseudonym was this person.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    Set<String> storedForms(String subject, String clientId) {
        Set<String> forms = new LinkedHashSet<>();
        forms.add(subject);
        if (!pseudonymous()) {
            return forms;
        }
        List<ClientKeys.ClientKey> keyed;
        if (clientId != null) {
            ClientKeys.ClientKey client = clients.find(clientId).orElseThrow(() -> ProblemException.notFound("Client"));
            if (client.wrappedKey() == null) {
                throw ProblemException.conflict("pseudonym-key-destroyed", "This client's pseudonym key was destroyed"
                        + " when it was offboarded; its events can no longer be linked to a person.");
            }
            keyed = List.of(client);
        } else {
            keyed = clients.withKeys();
        }
        for (ClientKeys.ClientKey client : keyed) {
            byte[] key = crypto.auditPseudonymKey(client.clientId(), client.wrappedKey());
            try {
                forms.add(subject(key, subject, false));
            } finally {
                Arrays.fill(key, (byte) 0);
            }
        }
        return forms;
    }

    /**
     * The form a person's subject takes in a client's events in pseudonym mode: its pseudonym under the
     * client's key, or {@link #WITHHELD} once the key is destroyed.
     */
    @Transactional
    String storedSubject(String clientId, String subject) {
        ClientKeys.ClientKey client = clients.find(clientId).orElse(null);
        if (client == null || client.wrappedKey() == null) {
            return withhold(subject);
        }
        byte[] key = crypto.auditPseudonymKey(client.clientId(), client.wrappedKey());
        try {
            return subject(key, subject, false);
        } finally {
            Arrays.fill(key, (byte) 0);
        }
    }

    /**
     * Actors that are no person stay legible: Valv itself, and an upload link ({@code upload-link:<id>}, whose
     * uploads must stay attributable to the link; the sender's address and user agent are still pseudonymised).
     */
    private static boolean isSystemOrNull(String subject) {
        return subject == null || AuditLog.SYSTEM.subject().equals(subject) || subject.startsWith(UPLOAD_LINK_ACTOR);
    }

    /** The subject prefix of an upload link acting as uploader (io.valv.uploadlink). */
    static final String UPLOAD_LINK_ACTOR = "upload-link:";

    private static String subject(byte[] key, String subject, boolean stored) {
        return isSystemOrNull(subject) ? subject : of(key, "subject", subject, stored);
    }

    private static String of(byte[] key, String field, String value, boolean stored) {
        if (value == null || (stored && value.startsWith(PREFIX))) {
            return value;
        }
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            mac.update((field + "\0").getBytes(StandardCharsets.UTF_8));
            // 128 bits: collision-free in practice, and short enough to read in a listing
            return PREFIX + HexFormat.of().formatHex(mac.doFinal(value.getBytes(StandardCharsets.UTF_8))).substring(0, 32);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String withhold(String value) {
        return value == null || AuditLog.SYSTEM.subject().equals(value) ? value : WITHHELD;
    }
}
