package io.valv.audit;

import java.time.Instant;
import java.util.UUID;

/** Everything about an event except its place in the chain. */
record EventDraft(Instant occurredAt, String actorSubject, String actorRoles, String actorClient, String action,
        String outcome, String clientId, UUID jobId, UUID materialId, String detail, Long bytes, String requestId,
        String clientIp, String userAgent) {

    EventDraft withClient(String client) {
        return new EventDraft(occurredAt, actorSubject, actorRoles, actorClient, action, outcome, client, jobId,
                materialId, detail, bytes, requestId, clientIp, userAgent);
    }

    /** The same source without anybody's identity: the shared tally of sources beyond the bound. */
    EventDraft withoutActor() {
        return new EventDraft(occurredAt, null, "", null, action, outcome, null, null, null, null, null, null, null, null);
    }

    /** The chained count of a source's refusals that were not chained one by one ({@link Refusals}). */
    EventDraft summary(Instant at, String countDetail) {
        return new EventDraft(at, actorSubject, actorRoles, actorClient, Actions.ACCESS_DENIED_REPEATED, outcome, null,
                null, null, countDetail, null, null, clientIp, userAgent);
    }

    EventDraft withPersonal(String subject, String ip, String agent) {
        return new EventDraft(occurredAt, subject, actorRoles, actorClient, action, outcome, clientId, jobId,
                materialId, detail, bytes, requestId, ip, agent);
    }
}
