package io.valv.notify;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import jakarta.mail.Message;
import jakarta.mail.internet.MimeMessage;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;
import io.restassured.http.ContentType;
import io.valv.testing.GreenMailResource;
import io.valv.testing.S3ProxyResource;
import io.valv.testing.Tokens;
import io.valv.testing.Uploads;
import io.valv.testing.World;

/** Email notices through a real SMTP server (GreenMail): the message is received, parsed and checked. */
@QuarkusTest
@WithTestResource(OidcWiremockTestResource.class)
@WithTestResource(S3ProxyResource.class)
@WithTestResource(GreenMailResource.class)
class EmailNoticeTest {

    static List<MimeMessage> to(String address, String subjectPart, int count) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (true) {
            List<MimeMessage> found = new ArrayList<>();
            for (MimeMessage m : GreenMailResource.server().getReceivedMessages()) {
                if (m.getRecipients(Message.RecipientType.TO)[0].toString().equals(address)
                        && m.getSubject().contains(subjectPart)) {
                    found.add(m);
                }
            }
            if (found.size() >= count || System.nanoTime() > deadline) {
                return found;
            }
            Thread.sleep(200);
        }
    }

    /** The decoded text of the message (transfer encoding undone, parts searched). */
    static String text(MimeMessage m) throws Exception {
        Object content = m.getContent();
        if (content instanceof jakarta.mail.Multipart multipart) {
            StringBuilder all = new StringBuilder();
            for (int i = 0; i < multipart.getCount(); i++) {
                Object part = multipart.getBodyPart(i).getContent();
                all.append(part instanceof String str ? str : "");
            }
            return all.toString();
        }
        return (String) content;
    }

    @Test
    void theContactAddressIsToldInEnglishByDefault() throws Exception {
        World w = World.create();
        String sha256 = Uploads.stored(w, w.jobId, "interview.wav", "private words".getBytes()).path("sha256");
        List<MimeMessage> got = to("dpo@" + w.client + ".example", "interview.wav", 1);
        assertEquals(1, got.size());
        MimeMessage m = got.get(0);
        assertEquals("Valv: interview.wav was stored", m.getSubject());
        assertEquals("valv@processor.example", m.getFrom()[0].toString());
        String body = text(m);
        assertTrue(body.contains("SHA-256:  " + sha256), body);
        assertTrue(body.contains("Job:      " + w.jobId), body);
        // "private words": 13 bytes (a template once printed the size of its own data map, 7, here)
        assertTrue(body.contains("Size:     13 bytes"), body);
        assertFalse(body.contains("private words"), "no content in a notice");
    }

    @Test
    void aClientAdminChoosesSwedishAndWhichTypes() throws Exception {
        World w = World.create();
        String contact = "dpo@" + w.client + ".example";
        given().auth().oauth2(Tokens.clientAdmin(w.client)).contentType(ContentType.JSON)
                .body(Map.of("events", List.of("material.purged"), "language", "sv"))
                .put("/api/v1/clients/" + w.client + "/email-notifications").then().statusCode(200);
        assertEquals("sv", given().auth().oauth2(Tokens.clientAdmin(w.client))
                .get("/api/v1/clients/" + w.client + "/email-notifications").then().statusCode(200).extract().path("language"));
        given().auth().oauth2(Tokens.uploader(w.client)).get("/api/v1/clients/" + w.client + "/email-notifications")
                .then().statusCode(403);

        Uploads.stored(w, w.jobId, "samtal.wav", "private words".getBytes()).path("sha256");
        String material = given().auth().oauth2(Tokens.clientAdmin(w.client)).get("/api/v1/jobs/" + w.jobId + "/materials")
                .then().statusCode(200).extract().path("[0].id");
        given().auth().oauth2(Tokens.clientAdmin(w.client)).delete("/api/v1/materials/" + material).then().statusCode(202);

        List<MimeMessage> purged = to(contact, "har raderats", 1);
        assertEquals(1, purged.size(), "the purge notice, in Swedish");
        String body = text(purged.get(0));
        assertTrue(body.contains("Raderingsintyg"), body);
        assertTrue(body.contains("/pdf"), body);
        // material.stored is not among the chosen types: no mail for the upload
        assertEquals(0, to(contact, "samtal.wav", 0).size());
    }
}
