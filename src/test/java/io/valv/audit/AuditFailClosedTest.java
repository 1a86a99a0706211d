package io.valv.audit;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;

import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

import org.junit.jupiter.api.Test;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;
import io.valv.testing.Database;
import io.valv.testing.S3ProxyResource;
import io.valv.testing.StoredObjects;
import io.valv.testing.Tokens;
import io.valv.testing.Uploads;
import io.valv.testing.World;

/**
 * No event, no access: when the audit log cannot be written, content is not served, jobs do not change and
 * uploads are not stored (503 audit-unavailable), and everything works again once the log is back.
 */
@QuarkusTest
@WithTestResource(OidcWiremockTestResource.class)
@WithTestResource(S3ProxyResource.class)
class AuditFailClosedTest {

    static final String UNAVAILABLE = "/audit-unavailable";

    @Inject
    AuditLog auditLog;
    @Inject
    EntityManager em;

    @Test
    void aHeldChainHeadRefusesContentAndChanges() throws Exception {
        World world = World.create();
        String id = Uploads.upload(world, "a.wav", Uploads.randomBytes(4000, 8));
        String read = AuditTestSupport.requestId();
        String complete = AuditTestSupport.requestId();
        try (Connection holder = Database.connect()) {
            holder.setAutoCommit(false);
            try (Statement s = holder.createStatement()) {
                // another writer holds the head past valv.audit.lock-timeout (5 s)
                s.execute("select seq from audit_head where id = 1 for update");
                given().auth().oauth2(Tokens.staff("alice")).header("X-Request-Id", read)
                        .get("/api/v1/materials/" + id + "/content").then().statusCode(503)
                        .contentType("application/problem+json").body("type", endsWith(UNAVAILABLE))
                        .body("requestId", equalTo(read));
                given().auth().oauth2(Tokens.admin()).header("X-Request-Id", complete)
                        .post("/api/v1/jobs/" + world.jobId + "/complete").then().statusCode(503)
                        .body("type", endsWith(UNAVAILABLE));
            } finally {
                holder.rollback();
            }
        }
        assertEquals(0, Database.count("select count(*) from audit_event where request_id in (?, ?)", read, complete));
        given().auth().oauth2(Tokens.admin()).get("/api/v1/jobs/" + world.jobId).then().statusCode(200)
                .body("status", equalTo("open"));
        // back: the same read is served and recorded
        given().auth().oauth2(Tokens.staff("alice")).header("X-Request-Id", read).get("/api/v1/materials/" + id + "/content")
                .then().statusCode(200);
        assertEquals(1, Database.count("select count(*) from audit_event where request_id = ? and action = ?", read,
                Actions.MATERIAL_CONTENT_READ));
    }

    @Test
    void anAppendBoundsOnlyItsOwnWaitForTheChainHead() {
        World world = World.create();
        String after = QuarkusTransaction.requiringNew().call(() -> {
            em.createNativeQuery("select set_config('lock_timeout', '7s', true)").getSingleResult();
            auditLog.append(AuditEntry.of(Actions.JOB_ASSIGN).bySystem().client(world.client));
            auditLog.append(AuditEntry.of(Actions.JOB_ASSIGN).bySystem().client(world.client));
            return (String) em.createNativeQuery("select current_setting('lock_timeout')").getSingleResult();
        });
        assertEquals("7s", after, "the rest of the caller's transaction keeps its own lock timeout");
    }

    @Test
    void aRefusedEventLeavesNoPersonalFieldInTheLog() throws Exception {
        World world = World.create();
        String id = Uploads.upload(world, "a.wav", Uploads.randomBytes(2000, 11));
        String agent = "agent-" + AuditTestSupport.requestId();
        List<String> logged = new CopyOnWriteArrayList<>();
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord r) {
                logged.add(new SimpleFormatter().formatMessage(r) + (r.getThrown() == null ? "" : " " + r.getThrown()));
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        Logger.getLogger("").addHandler(capture);
        // PostgreSQL refuses this one event, and its error detail would quote the whole row ("Failing row
        // contains (...)"), user agent included, unless the driver keeps details out of exception messages
        try (Connection c = Database.connect(); Statement s = c.createStatement()) {
            s.execute("alter table audit_event add constraint refuse_agent check (user_agent is distinct from '" + agent
                    + "') not valid");
            try {
                given().auth().oauth2(Tokens.staff("alice")).header("User-Agent", agent).get("/api/v1/materials/" + id)
                        .then().statusCode(503).body("type", endsWith(UNAVAILABLE));
            } finally {
                s.execute("alter table audit_event drop constraint refuse_agent");
                Logger.getLogger("").removeHandler(capture);
            }
        }
        assertTrue(logged.stream().anyMatch(l -> l.contains("refuse_agent")), "the refusal is logged: " + logged);
        assertTrue(logged.stream().noneMatch(l -> l.contains(agent)), "no personal field in a log line: " + logged);
    }

    @Test
    void aMissingEventTableRefusesReadsAndUploads() throws Exception {
        World world = World.create();
        String id = Uploads.upload(world, "a.wav", Uploads.randomBytes(3000, 9));
        try (Connection c = Database.connect(); Statement s = c.createStatement()) {
            s.execute("alter table audit_event rename to audit_event_offline");
            try {
                given().auth().oauth2(Tokens.staff("alice")).get("/api/v1/materials/" + id + "/content").then()
                        .statusCode(503).body("type", endsWith(UNAVAILABLE));
                given().auth().oauth2(Tokens.uploader(world.client)).header("Content-Disposition", "attachment; filename=b.wav")
                        .header("Valv-Personal-Data", "true").contentType("audio/wav")
                        .body(Uploads.randomBytes(2 << 20, 10)).post("/api/v1/jobs/" + world.jobId + "/materials")
                        .then().statusCode(503).body("type", endsWith(UNAVAILABLE));
            } finally {
                s.execute("alter table audit_event_offline rename to audit_event");
            }
        }
        // only the first upload is stored; the second one's object is swept
        assertEquals(1, Database.count("select count(*) from material where job_id = ?::uuid and state = 'STORED'",
                world.jobId));
        StoredObjects.awaitNoOrphans();
        given().auth().oauth2(Tokens.staff("alice")).get("/api/v1/materials/" + id + "/content").then().statusCode(200);
    }
}
