package io.valv.web;

import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.io.CharConversionException;
import java.io.IOException;
import java.util.List;

import jakarta.validation.Validation;
import jakarta.validation.Validator;
import jakarta.validation.ValidatorFactory;

import org.hibernate.validator.messageinterpolation.ParameterMessageInterpolator;
import org.junit.jupiter.api.AfterAll;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

import io.valv.certificate.CertificateResource;
import io.valv.client.ClientResource;
import io.valv.dpa.DpaResource;
import io.valv.job.JobResource;

/**
 * Fuzzes every JSON request body: the bytes are read, with Valv's Jackson settings ({@link JsonLimits}), as
 * each body type, then validated with its Bean Validation constraints, as RESTEasy does before a resource
 * runs. Reading may only fail with a JsonProcessingException or a CharConversionException (both of which
 * {@link ProblemMapper} answers as 400 {@code invalid-json}); validating may not fail at all. Anything else (a
 * NullPointerException, a
 * StackOverflowError, a validator crash) is a finding.
 */
class JsonBodiesFuzzTest {

    static final List<Class<?>> BODIES = List.of(JobResource.NewJob.class, JobResource.NewAssignment.class,
            ClientResource.NewClient.class, DpaResource.NewDpaBody.class, DpaResource.NewSubProcessor.class,
            CertificateResource.CertificateRequest.class);
    static final ObjectMapper MAPPER = JsonLimits.configure(new ObjectMapper().registerModule(new JavaTimeModule()));
    static final ValidatorFactory VALIDATION = Validation.byDefaultProvider().configure()
            .messageInterpolator(new ParameterMessageInterpolator()).buildValidatorFactory();
    static final Validator VALIDATOR = VALIDATION.getValidator();

    @AfterAll
    static void close() {
        VALIDATION.close();
    }

    @FuzzTest(maxDuration = "10s")
    void jsonBodies(FuzzedDataProvider data) throws IOException {
        Class<?> type = BODIES.get(data.consumeInt(0, BODIES.size() - 1));
        byte[] body = data.consumeRemainingAsBytes();
        Object value;
        try {
            value = MAPPER.readValue(body, type);
        } catch (JsonProcessingException e) {
            assertNotNull(ProblemMapper.jsonDetail(e));
            return;
        } catch (CharConversionException e) {
            // an encoding Jackson guesses but cannot read: ProblemMapper.encoding answers 400 invalid-json
            // (the corpus' ucs4-2143-endianness, the first finding of this test)
            return;
        }
        if (value != null) {
            VALIDATOR.validate(value);
        }
    }
}
