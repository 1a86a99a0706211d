package io.valv.notify;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.valv.certificate.CertificateIssued;
import io.valv.certificate.CertificatesIssued;
import io.valv.dpa.DpaTerminated;
import io.valv.dpa.SubProcessorChanged;
import io.valv.incident.IncidentNotified;
import io.valv.material.MaterialStored;

/**
 * Turns domain events into outbox rows. The observers are synchronous (in the event's own transaction), not
 * AFTER_SUCCESS: the notice commits with the change or not at all, and a crash right after the commit loses
 * nothing, because the row is already durable when the worker's turn comes. Payloads carry metadata only —
 * never content, keys or secrets.
 */
@ApplicationScoped
class NotificationTriggers {

    private final WebhookService webhooks;
    private final EmailNotices emails;
    private final WebhookEndpointRepository endpoints;
    private final NotifyConfig config;

    NotificationTriggers(WebhookService webhooks, EmailNotices emails, WebhookEndpointRepository endpoints,
            NotifyConfig config) {
        this.webhooks = webhooks;
        this.emails = emails;
        this.endpoints = endpoints;
        this.config = config;
    }

    void stored(@Observes MaterialStored e) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("materialId", e.materialId().toString());
        data.put("clientId", e.clientId());
        data.put("jobId", e.jobId().toString());
        data.put("filename", e.filename());
        data.put("size", e.size());
        data.put("sha256", e.sha256());
        data.put("expiresAt", e.expiresAt() == null ? null : e.expiresAt().toString());
        publish(e.clientId(), "material.stored", data);
    }

    /**
     * Every certificate is {@code certificate.issued}; a material's is also {@code material.purged}, which carries it.
     * The email of a material's certificate is that {@code material.purged} one, so that a purge is one email.
     */
    void issued(@Observes CertificateIssued e) {
        issuedTogether(new CertificatesIssued(List.of(e)));
    }

    /** A purge batch's certificates, announced as {@link #issued} announces each; each client's settings read once. */
    void issuedTogether(@Observes CertificatesIssued batch) {
        Map<String, List<Notice>> byWebhook = new LinkedHashMap<>();
        Map<String, List<Notice>> byEmail = new LinkedHashMap<>();
        for (CertificateIssued e : batch.certificates()) {
            String base = config.publicUrl() + "/api/v1/certificates/" + e.certificateId();
            Map<String, String> links = Map.of("json", base, "cms", base + "/signed", "pdf", base + "/pdf");
            Map<String, Object> certificate = new LinkedHashMap<>();
            certificate.put("certificateId", e.certificateId().toString());
            certificate.put("scope", e.scope());
            certificate.put("clientId", e.clientId());
            certificate.put("jobId", e.jobId() == null ? null : e.jobId().toString());
            certificate.put("materialId", e.ofMaterial() ? e.materialId().toString() : null);
            certificate.put("certificate", links);
            List<Notice> webhookNotices = byWebhook.computeIfAbsent(e.clientId(), c -> new ArrayList<>());
            List<Notice> emailNotices = byEmail.computeIfAbsent(e.clientId(), c -> new ArrayList<>());
            webhookNotices.add(new Notice("certificate.issued", certificate));
            if (!e.ofMaterial()) {
                emailNotices.add(new Notice("certificate.issued", certificate));
                continue;
            }
            Map<String, Object> purged = new LinkedHashMap<>();
            purged.put("materialId", e.materialId().toString());
            purged.put("clientId", e.clientId());
            purged.put("jobId", e.jobId().toString());
            purged.put("reason", e.reason());
            purged.put("certificateId", e.certificateId().toString());
            purged.put("certificate", links);
            webhookNotices.add(new Notice("material.purged", purged));
            emailNotices.add(new Notice("material.purged", purged));
        }
        byWebhook.forEach(webhooks::enqueueAll);
        byEmail.forEach(emails::enqueueAll);
    }

    /**
     * The sub-processor register is the processor's, shared by all clients: every client with an endpoint
     * for this type hears of a change (Art. 28(2)), and objects through its DPA contact.
     */
    @SuppressWarnings("unchecked")
    void subProcessorChanged(@Observes SubProcessorChanged e) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("changeId", e.changeId().toString());
        data.put("subProcessor", e.subProcessor());
        data.put("change", e.change());
        data.put("description", e.description());
        data.put("effectiveFrom", e.effectiveFrom().toString());
        List<String> clients = endpoints.getEntityManager()
                .createQuery("select distinct w.clientId from WebhookEndpoint w").getResultList();
        for (String client : clients) {
            webhooks.enqueue(client, "subprocessor.changed", data);
        }
        for (String client : emails.clientsWithContact()) {
            emails.enqueue(client, "subprocessor.changed", data);
        }
    }

    /** Art. 33(2): one notice per affected client, naming only that client. */
    void incident(@Observes IncidentNotified e) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("incidentId", e.incidentId().toString());
        data.put("clientId", e.clientId());
        data.put("nature", e.nature());
        data.put("dataSubjectCategories", e.dataSubjectCategories());
        data.put("approximateDataSubjects", e.approximateDataSubjects());
        data.put("recordCategories", e.recordCategories());
        data.put("approximateRecords", e.approximateRecords());
        data.put("likelyConsequences", e.likelyConsequences());
        data.put("measures", e.measures());
        data.put("contactPoint", e.contactPoint());
        data.put("detectedAt", e.detectedAt().toString());
        data.put("notifiedAt", e.notifiedAt().toString());
        data.put("incidents", config.publicUrl() + "/api/v1/incidents");
        if (e.windowFrom() != null) {
            // the client's own section of the window's incident report: for its systems, and as a page
            data.put("windowFrom", e.windowFrom().toString());
            data.put("windowTo", e.windowTo().toString());
            data.put("report", config.publicUrl() + "/api/v1/incidents/" + e.incidentId() + "/report");
            data.put("reportPage", config.publicUrl() + "/portal/workspace/incidents/" + e.incidentId());
        }
        publish(e.clientId(), "incident.notified", data);
    }

    /** The termination took effect: everything processed under the DPA is being destroyed, certificates follow. */
    void dpaTerminated(@Observes DpaTerminated e) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("dpaId", e.dpaId().toString());
        data.put("clientId", e.clientId());
        data.put("whatHappens", "All material processed under this DPA is purged now; a material.purged notice with its"
                + " certificate of deletion follows for each.");
        publish(e.clientId(), "dpa.terminated", data);
    }

    /** Both channels, in the current transaction. */
    void publish(String clientId, String type, Map<String, Object> data) {
        webhooks.enqueue(clientId, type, data);
        emails.enqueue(clientId, type, data);
    }
}
