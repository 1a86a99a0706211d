package io.valv.testing;

import static io.restassured.RestAssured.given;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Breach notices as the processor's DPO raises them through the API, for tests that need one to exist. */
public final class Incidents {

    private Incidents() {
    }

    /** A notice to the world's client naming the last hour as its window, so that it links a report section. */
    public static String withWindow(World world) {
        Instant now = Instant.now();
        return given().auth().oauth2(Tokens.auditor()).contentType("application/json").body(Map.ofEntries(
                Map.entry("nature", "A test breach"), Map.entry("dataSubjectCategories", "interviewees"),
                Map.entry("approximateDataSubjects", 1), Map.entry("recordCategories", "audio"),
                Map.entry("approximateRecords", 1), Map.entry("likelyConsequences", "low"),
                Map.entry("measures", "keys rotated"), Map.entry("contactPoint", "dpo@processor.example"),
                Map.entry("detectedAt", now.toString()), Map.entry("clientIds", List.of(world.client)),
                Map.entry("windowFrom", now.minusSeconds(3600).toString()), Map.entry("windowTo", now.toString())))
                .post("/api/v1/incidents").then().statusCode(201).extract().path("id");
    }
}
