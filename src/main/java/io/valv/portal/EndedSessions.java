package io.valv.portal;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.jwt.JsonWebToken;

import io.quarkus.oidc.SecurityEvent;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.SecurityIdentityAugmentor;
import io.smallrye.mutiny.Uni;

/**
 * Provider sessions ({@code sid}) that have ended, so that no copy of their portal session cookie is taken
 * again. The cookie carries its tokens, so without this a copy stayed valid until its ID token expired.
 * <p>
 * Two events end a session here: the portal's own sign-out ({@code /portal/logout}), and quarkus-oidc's
 * completion of a back-channel logout (the provider ended the session: a sign-out there, or an admin). The
 * latter matters because quarkus-oidc holds a received logout token for one use only: the first request of
 * that session is signed out, a second copy of the cookie would be let in again.
 * <p>
 * In memory, per replica: see docs/security.md for the window that leaves with several replicas. An entry is
 * kept a day, longer than any portal session lives (the realm's SSO maximum, 10 h).
 */
@ApplicationScoped
class EndedSessions implements SecurityIdentityAugmentor {

    static final String PORTAL_TENANT = "portal";
    private static final Set<SecurityEvent.Type> ENDING = Set.of(SecurityEvent.Type.OIDC_LOGOUT_RP_INITIATED,
            SecurityEvent.Type.OIDC_BACKCHANNEL_LOGOUT_COMPLETED);
    private static final Duration KEPT = Duration.ofDays(1);

    private final Map<String, Instant> ended = new ConcurrentHashMap<>();

    /** Synchronous on purpose: the entry must exist before the sign-out's answer leaves. */
    void record(@Observes SecurityEvent event) {
        if (!ENDING.contains(event.getEventType())) {
            return;
        }
        String sid = sessionOf(event.getSecurityIdentity());
        if (sid != null) {
            Instant now = Instant.now();
            ended.values().removeIf(until -> until.isBefore(now));
            ended.put(sid, now.plus(KEPT));
        }
    }

    /** Refuses a portal identity of an ended provider session: quarkus-oidc then asks for a new sign-in. */
    @Override
    public Uni<SecurityIdentity> augment(SecurityIdentity identity, AuthenticationRequestContext context) {
        String sid = sessionOf(identity);
        if (sid != null && ended.containsKey(sid)) {
            return Uni.createFrom().failure(new AuthenticationFailedException("provider session ended"));
        }
        return Uni.createFrom().item(identity);
    }

    /** The provider session id of a portal identity, from its ID token. */
    private static String sessionOf(SecurityIdentity identity) {
        if (identity == null || identity.isAnonymous() || !PORTAL_TENANT.equals(identity.getAttribute("tenant-id"))
                || !(identity.getPrincipal() instanceof JsonWebToken token)) {
            return null;
        }
        Object sid = token.getClaim("sid");
        return sid == null ? null : sid.toString().replace("\"", "");
    }
}
