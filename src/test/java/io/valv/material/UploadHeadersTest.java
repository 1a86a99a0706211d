package io.valv.material;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import io.valv.web.ProblemException;

class UploadHeadersTest {

    private static final String PROBLEMS = "https://valv.io/problems/";

    /** Asserts a 400 problem of the given stable type and returns it for further checks. */
    private static ProblemException assertProblem(String type, Executable call) {
        ProblemException e = assertThrows(ProblemException.class, call);
        assertEquals(400, e.status(), "status");
        assertEquals(PROBLEMS + type, e.type(), "problem type");
        assertTrue(e.type().endsWith(type));
        return e;
    }

    @Nested
    class Filename {

        @Test
        void quotedFilenameKeepsSpaces() {
            assertEquals("a b.wav", UploadHeaders.filename("attachment; filename=\"a b.wav\""));
        }

        @Test
        void tokenFilename() {
            assertEquals("a.wav", UploadHeaders.filename("attachment; filename=a.wav"));
        }

        @Test
        void parameterNameIsCaseInsensitive() {
            assertEquals("a.wav", UploadHeaders.filename("attachment; FileName=\"a.wav\""));
        }

        /** The header as the HTTP layer hands it over: one char per octet. */
        private static String octets(String header) {
            return new String(header.getBytes(java.nio.charset.StandardCharsets.UTF_8),
                    java.nio.charset.StandardCharsets.ISO_8859_1);
        }

        @Test
        void rawUtf8FilenameIsReadAsUtf8() {
            for (String name : List.of("intervju-åsa-07.wav", "Ärende öst.mp3", "مقابلة ١.wav", "😀 interview.m4a",
                    "日本語.txt")) {
                assertEquals(name, UploadHeaders.filename(octets("attachment; filename=\"" + name + "\"")), name);
            }
        }

        @Test
        void octetsThatAreNotUtf8StayIso88591() {
            // a Latin-1 sender's å is the single octet E5, which is not UTF-8: it stays å
            assertEquals("år.wav", UploadHeaders.filename("attachment; filename=\"\u00e5r.wav\""));
            assertEquals("plain.wav", UploadHeaders.filename("attachment; filename=\"plain.wav\""));
        }

        @Test
        void extendedFilenameIsPercentDecodedAsUtf8() {
            assertEquals("år.wav", UploadHeaders.filename("attachment; filename*=UTF-8''%C3%A5r.wav"));
        }

        @Test
        void extendedFilenameKeepsLiteralPlus() {
            // RFC 8187 attr-char allows '+' literally; it must not turn into a space (form decoding).
            assertEquals("a+b.wav", UploadHeaders.filename("attachment; filename*=UTF-8''a+b.wav"));
        }

        @Test
        void extendedFilenameIsPreferredOverPlainFilename() {
            assertEquals("år.wav",
                    UploadHeaders.filename("attachment; filename=\"ar.wav\"; filename*=UTF-8''%C3%A5r.wav"));
            assertEquals("år.wav",
                    UploadHeaders.filename("attachment; filename*=UTF-8''%C3%A5r.wav; filename=\"ar.wav\""));
            assertEquals("år.wav",
                    UploadHeaders.filename("attachment; filename=ar.wav; filename*=utf-8''%C3%A5r.wav"));
        }

        @Test
        void escapedQuotesInsideQuotedStringAreUnescaped() {
            assertEquals("say \"hi\".wav", UploadHeaders.filename("attachment; filename=\"say \\\"hi\\\".wav\""));
        }

        @Test
        void quotedStringMayContainSemicolon() {
            assertEquals("a; b.wav", UploadHeaders.filename("attachment; filename=\"a; b.wav\""));
        }

        @Test
        void surroundingWhitespaceIsStripped() {
            assertEquals("a.wav", UploadHeaders.filename("attachment; filename=\"  a.wav \""));
        }

        @Test
        void nameOfExactly255Utf8BytesIsAccepted() {
            String name = "a".repeat(251) + ".wav";
            assertEquals(255, name.getBytes(StandardCharsets.UTF_8).length);
            assertEquals(name, UploadHeaders.filename("attachment; filename=\"" + name + "\""));
        }

        @ParameterizedTest
        @ValueSource(strings = { "", " ", "\t" })
        void blankHeaderIsMissingFilename(String header) {
            assertProblem("missing-filename", () -> UploadHeaders.filename(header));
        }

        @Test
        void nullHeaderIsMissingFilename() {
            assertProblem("missing-filename", () -> UploadHeaders.filename(null));
        }

        @ParameterizedTest
        @ValueSource(strings = { "attachment", "inline", "attachment; name=\"a.wav\"", "attachment; size=3" })
        void headerWithoutFilenameParameterIsMissingFilename(String header) {
            assertProblem("missing-filename", () -> UploadHeaders.filename(header));
        }

        static Stream<Arguments> rejectedNames() {
            return Stream.of(
                    Arguments.of("../../etc/passwd"),
                    Arguments.of("a/b"),
                    Arguments.of("a\\b"),
                    Arguments.of(".."),
                    Arguments.of("."),
                    Arguments.of("/etc/passwd"),
                    Arguments.of("a\u0000b.wav"),
                    Arguments.of("a\nb.wav"),
                    Arguments.of("a\rb.wav"),
                    Arguments.of("a\u007fb.wav"),
                    Arguments.of("a\tb.wav"),
                    Arguments.of("a\u0085b.wav"),
                    Arguments.of("evil\u202Evaw.exe"),
                    Arguments.of("a\u200Bb.wav"),
                    Arguments.of("a\u2066b.wav"),
                    Arguments.of("\uFEFFa.wav"),
                    Arguments.of("a\u2028b.wav"),
                    Arguments.of("a\u2029b.wav"),
                    Arguments.of("a".repeat(256)),
                    Arguments.of("å".repeat(128)), // 128 chars but 256 UTF-8 bytes
                    Arguments.of(" "),
                    Arguments.of("   "),
                    // whitespace around a dot name must not smuggle "." or ".." through the final strip
                    Arguments.of(" .."),
                    Arguments.of(".. "),
                    Arguments.of(" . "));
        }

        @ParameterizedTest
        @MethodSource("rejectedNames")
        void invalidNamesAreRejectedInTheExtendedForm(String name) {
            String header = "attachment; filename*=UTF-8''" + percentEncodeAll(name);
            ProblemException e = assertProblem("invalid-filename", () -> UploadHeaders.filename(header));
            assertDetailDoesNotEcho(e, name);
        }

        @ParameterizedTest
        @MethodSource("rejectedNames")
        void invalidNamesAreRejectedInTheQuotedForm(String name) {
            String header = "attachment; filename=\"" + name.replace("\\", "\\\\") + "\"";
            ProblemException e = assertProblem("invalid-filename", () -> UploadHeaders.filename(header));
            assertDetailDoesNotEcho(e, name);
        }

        @ParameterizedTest
        @ValueSource(strings = { "../../etc/passwd", "a/b", "..", ".", "a\u0000b", "a\u007fb", "a\u202Eb" })
        void invalidNamesAreRejectedInTheTokenForm(String name) {
            assertProblem("invalid-filename", () -> UploadHeaders.filename("attachment; filename=" + name));
        }

        @Test
        void emptyQuotedNameIsInvalid() {
            assertProblem("invalid-filename", () -> UploadHeaders.filename("attachment; filename=\"\""));
        }

        @Test
        void encodedSlashInExtendedFormIsRejected() {
            assertProblem("invalid-filename", () -> UploadHeaders.filename("attachment; filename*=UTF-8''..%2F..%2Fx"));
        }

        @Test
        void brokenPercentEncodingIsInvalidFilename() {
            ProblemException e = assertProblem("invalid-filename",
                    () -> UploadHeaders.filename("attachment; filename*=UTF-8''secret%ZZname.wav"));
            assertFalse(e.detail().contains("secret"), e.detail());
        }

        @Test
        void detailNeverEchoesAPathLikeName() {
            ProblemException e = assertProblem("invalid-filename",
                    () -> UploadHeaders.filename("attachment; filename=\"../../etc/passwd\""));
            assertFalse(e.detail().contains("passwd"), e.detail());
            assertFalse(e.detail().contains("../"), e.detail());
        }

        @Test
        void detailNeverEchoesMarkup() {
            String name = "<script>alert(1)<\\/script>";
            ProblemException e = assertProblem("invalid-filename",
                    () -> UploadHeaders.filename("attachment; filename=\"" + name + "\""));
            assertFalse(e.detail().contains("script"), e.detail());
        }

        private static void assertDetailDoesNotEcho(ProblemException e, String name) {
            String detail = e.detail();
            String core = name.strip();
            if (core.length() >= 3) {
                assertFalse(detail.contains(core), "detail echoes the filename: " + detail);
            }
            assertTrue(detail.chars().noneMatch(Character::isISOControl), "detail contains control chars");
            assertTrue(detail.codePoints().noneMatch(c -> Character.getType(c) == Character.FORMAT),
                    "detail contains format chars");
        }

        private static String percentEncodeAll(String s) {
            StringBuilder out = new StringBuilder();
            for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
                out.append('%').append(String.format("%02X", b & 0xff));
            }
            return out.toString();
        }
    }

    @Nested
    class PersonalData {

        @ParameterizedTest
        @ValueSource(strings = { "true", "TRUE", "True", " true ", "\ttRuE\t" })
        void trueValues(String header) {
            assertTrue(UploadHeaders.personalData(header));
        }

        @ParameterizedTest
        @ValueSource(strings = { "false", "FALSE", "False", "  false", "fAlSe " })
        void falseValues(String header) {
            assertFalse(UploadHeaders.personalData(header));
        }

        @Test
        void missingDeclaration() {
            assertProblem("missing-personal-data-declaration", () -> UploadHeaders.personalData(null));
        }

        @ParameterizedTest
        @ValueSource(strings = { "yes", "no", "1", "0", "", " ", "t", "truee", "true,false" })
        void invalidDeclaration(String header) {
            assertProblem("invalid-personal-data-declaration", () -> UploadHeaders.personalData(header));
        }
    }

    @Nested
    class ContentDigest {

        private final byte[] sha256 = digest("SHA-256", "hello");
        private final byte[] sha512 = digest("SHA-512", "hello");

        @Test
        void nullIsEmpty() {
            assertEquals(Optional.empty(), UploadHeaders.sha256Digest(null));
        }

        @Test
        void singleSha256Member() {
            Optional<byte[]> got = UploadHeaders.sha256Digest("sha-256=:" + b64(sha256) + ":");
            assertTrue(got.isPresent());
            assertArrayEquals(sha256, got.get());
        }

        @Test
        void algorithmNameIsCaseInsensitiveAndWhitespaceTolerated() {
            Optional<byte[]> got = UploadHeaders.sha256Digest("  SHA-256 = :" + b64(sha256) + ":  ");
            assertArrayEquals(sha256, got.orElseThrow());
        }

        @Test
        void sha256AmongSeveralMembers() {
            String header = "sha-512=:" + b64(sha512) + ":, sha-256=:" + b64(sha256) + ":";
            assertArrayEquals(sha256, UploadHeaders.sha256Digest(header).orElseThrow());
        }

        @Test
        void sha256FirstOfSeveralMembers() {
            String header = "sha-256=:" + b64(sha256) + ":,sha-512=:" + b64(sha512) + ":";
            assertArrayEquals(sha256, UploadHeaders.sha256Digest(header).orElseThrow());
        }

        @Test
        void onlyOtherAlgorithmsIsEmpty() {
            assertEquals(Optional.empty(), UploadHeaders.sha256Digest("sha-512=:" + b64(sha512) + ":"));
            assertEquals(Optional.empty(),
                    UploadHeaders.sha256Digest("sha-512=:" + b64(sha512) + ":, md5=:" + b64(new byte[16]) + ":"));
        }

        @Test
        void otherAlgorithmWithMalformedValueIsIgnored() {
            // only the sha-256 member is interpreted; others are skipped without validation
            assertArrayEquals(sha256,
                    UploadHeaders.sha256Digest("sha-512=garbage, sha-256=:" + b64(sha256) + ":").orElseThrow());
        }

        @ParameterizedTest
        @ValueSource(strings = {
                "sha-256", // no value at all
                "sha-256=", // empty value
                "sha-256=:", // single colon
                "sha-256=::", // empty digest
                "garbage", // not a dictionary member
        })
        void malformedShapes(String header) {
            assertProblem("invalid-content-digest", () -> UploadHeaders.sha256Digest(header));
        }

        @Test
        void missingColons() {
            assertProblem("invalid-content-digest", () -> UploadHeaders.sha256Digest("sha-256=" + b64(sha256)));
            assertProblem("invalid-content-digest", () -> UploadHeaders.sha256Digest("sha-256=:" + b64(sha256)));
            assertProblem("invalid-content-digest", () -> UploadHeaders.sha256Digest("sha-256=" + b64(sha256) + ":"));
        }

        @Test
        void hexInsteadOfBase64IsRejected() {
            String hex = java.util.HexFormat.of().formatHex(sha256);
            assertProblem("invalid-content-digest", () -> UploadHeaders.sha256Digest("sha-256=:" + hex + ":"));
        }

        @Test
        void badBase64() {
            assertProblem("invalid-content-digest", () -> UploadHeaders.sha256Digest("sha-256=:not*base64!:"));
            assertProblem("invalid-content-digest", () -> UploadHeaders.sha256Digest("sha-256=:abc:"));
        }

        @ParameterizedTest
        @ValueSource(ints = { 0, 1, 16, 31, 33, 64 })
        void wrongLength(int length) {
            String header = "sha-256=:" + b64(new byte[length]) + ":";
            assertProblem("invalid-content-digest", () -> UploadHeaders.sha256Digest(header));
        }

        @Test
        void sha512ValueUnderSha256NameIsRejected() {
            assertProblem("invalid-content-digest", () -> UploadHeaders.sha256Digest("sha-256=:" + b64(sha512) + ":"));
        }

        private static String b64(byte[] bytes) {
            return Base64.getEncoder().encodeToString(bytes);
        }

        private static byte[] digest(String algorithm, String text) {
            try {
                return MessageDigest.getInstance(algorithm).digest(text.getBytes(StandardCharsets.UTF_8));
            } catch (java.security.NoSuchAlgorithmException e) {
                throw new AssertionError(e);
            }
        }
    }

    @Nested
    class MediaType {

        @ParameterizedTest
        @ValueSource(strings = { "", "  " })
        void blankDefaultsToOctetStream(String header) {
            assertEquals("application/octet-stream", UploadHeaders.mediaType(header));
        }

        @Test
        void nullDefaultsToOctetStream() {
            assertEquals("application/octet-stream", UploadHeaders.mediaType(null));
        }

        @Test
        void parametersAreStrippedAndTypeLowercased() {
            assertEquals("audio/wav", UploadHeaders.mediaType("Audio/WAV; rate=44100"));
            assertEquals("text/plain", UploadHeaders.mediaType(" text/plain ;charset=UTF-8"));
        }

        @ParameterizedTest
        @ValueSource(strings = { "audio/wav", "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                "image/svg+xml", "audio/x-m4a" })
        void validTypesPassThrough(String type) {
            assertEquals(type, UploadHeaders.mediaType(type));
        }

        @ParameterizedTest
        @ValueSource(strings = { "text", "a/b/c", "<script>/x", "/plain", "text/", "text /plain", "te xt/plain",
                "text/pl\"ain", "*/*", "audio/wav\r\nX-Injected: 1", "åudio/wav" })
        void invalidTypes(String header) {
            assertProblem("invalid-media-type", () -> UploadHeaders.mediaType(header));
        }

        @Test
        void overlongSubtypeIsRejected() {
            assertProblem("invalid-media-type", () -> UploadHeaders.mediaType("audio/" + "x".repeat(65)));
            assertEquals("audio/" + "x".repeat(64), UploadHeaders.mediaType("audio/" + "x".repeat(64)));
        }
    }
}
