package io.valv.web;

import java.io.IOException;

import jakarta.inject.Singleton;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.deser.std.StringDeserializer;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.module.SimpleModule;

import io.quarkus.jackson.ObjectMapperCustomizer;

/**
 * Strict reading of JSON request bodies, for every endpoint at once: a body is one JSON document of
 * bounded size and depth, with each key once (no "last one wins" between two proxies' views), with
 * known properties only (a misspelt {@code reuseRequested} must not be silently ignored), and with no
 * control characters in strings (PostgreSQL cannot store NUL; the rest have no place in names or titles).
 * An absent boolean stays false, as docs/api.md says: FAIL_ON_NULL_FOR_PRIMITIVES would refuse it.
 * Every refusal is a Jackson exception, which {@link ProblemMapper} answers as 400 {@code invalid-json}.
 */
@Singleton
public class JsonLimits implements ObjectMapperCustomizer {

    /** Far above any Valv request body (the largest, a DPA, is a few KiB); uploads are not JSON. */
    static final long MAX_DOCUMENT_BYTES = 1024 * 1024;
    static final int MAX_DEPTH = 32;

    @Override
    public void customize(ObjectMapper mapper) {
        configure(mapper);
    }

    /** The same settings for a mapper outside CDI (fuzz tests). */
    public static ObjectMapper configure(ObjectMapper mapper) {
        mapper.getFactory().setStreamReadConstraints(StreamReadConstraints.builder()
                .maxDocumentLength(MAX_DOCUMENT_BYTES).maxNestingDepth(MAX_DEPTH).build());
        mapper.enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
        mapper.enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
        mapper.enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
        mapper.registerModule(new SimpleModule("valv-strict-strings").addDeserializer(String.class, new PlainText()));
        return mapper;
    }

    /** Strings without C0 control characters other than tab, line feed and carriage return, nor DEL. */
    static final class PlainText extends StringDeserializer {

        @Override
        public String deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            String value = super.deserialize(p, ctxt);
            if (value != null) {
                for (int i = 0; i < value.length(); i++) {
                    char c = value.charAt(i);
                    if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0x7f) {
                        throw InvalidFormatException.from(p, "control character in a string", value, String.class);
                    }
                }
            }
            return value;
        }
    }
}
