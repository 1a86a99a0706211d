package io.valv.audit;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.sql.Connection;
import java.sql.Statement;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;
import io.valv.testing.Database;
import io.valv.testing.S3ProxyResource;
import io.valv.testing.StoredObjects;
import io.valv.testing.Tokens;
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

    @Test
    void aHeldChainHeadRefusesContentAndChanges() throws Exception {
        World world = World.create();
        String id = AuditTestSupport.upload(world, AuditTestSupport.bytes(4000, 8));
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
    void aMissingEventTableRefusesReadsAndUploads() throws Exception {
        World world = World.create();
        String id = AuditTestSupport.upload(world, AuditTestSupport.bytes(3000, 9));
        try (Connection c = Database.connect(); Statement s = c.createStatement()) {
            s.execute("alter table audit_event rename to audit_event_offline");
            try {
                given().auth().oauth2(Tokens.staff("alice")).get("/api/v1/materials/" + id + "/content").then()
                        .statusCode(503).body("type", endsWith(UNAVAILABLE));
                given().auth().oauth2(Tokens.uploader(world.client)).header("Content-Disposition", "attachment; filename=b.wav")
                        .header("Valv-Personal-Data", "true").contentType("audio/wav")
                        .body(AuditTestSupport.bytes(2 << 20, 10)).post("/api/v1/jobs/" + world.jobId + "/materials")
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
