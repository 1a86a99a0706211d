package io.valv.material;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Base64;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

import io.valv.web.ProblemException;

/** The header classes an outside attack found: overlong values, repeated parameters, conflicting digests. */
class UploadHeadersLimitsTest {

    private static void assertProblem(String type, Executable call) {
        ProblemException e = assertThrows(ProblemException.class, call);
        assertEquals(400, e.status());
        assertEquals(ProblemException.TYPE_BASE + type, e.type());
    }

    @Test
    void aLongQuotedFilenameIsRefusedWithoutOverflowingTheStack() {
        // 2,000+ characters once threw StackOverflowError in a regular expression; now refused by length
        assertProblem("invalid-filename", () -> UploadHeaders.filename("attachment; filename=\"" + "a".repeat(2500) + "\""));
        assertProblem("invalid-filename", () -> UploadHeaders.filename("attachment; filename=\"" + "\\a".repeat(1000) + "\""));
        // within the header limit but over 255 bytes: refused as a name
        assertProblem("invalid-filename", () -> UploadHeaders.filename("attachment; filename=\"" + "a".repeat(1500) + "\""));
    }

    @Test
    void malformedDispositionsAreRefused() {
        assertProblem("invalid-filename", () -> UploadHeaders.filename("attachment; filename=\"abc"));
        assertProblem("invalid-filename", () -> UploadHeaders.filename("attachment; filename=\"a\"b"));
        assertProblem("invalid-filename", () -> UploadHeaders.filename("attachment; filename=a.wav; filename=b.wav"));
        assertProblem("invalid-filename", () -> UploadHeaders.filename("attachment; filename*=ISO-8859-1''a.wav"));
        assertProblem("invalid-filename", () -> UploadHeaders.filename("attachment; filename*=UTF-8''%FF.wav"));
    }

    @Test
    void otherParametersMayQuoteSemicolons() {
        assertEquals("a.wav", UploadHeaders.filename("attachment; note=\"x; filename=evil\"; filename=a.wav"));
    }

    @Test
    void twoDifferentSha256MembersAreRefusedTheSameTwiceIsNot() {
        String a = "sha-256=:" + Base64.getEncoder().encodeToString(new byte[32]) + ":";
        byte[] other = new byte[32];
        other[0] = 1;
        String b = "sha-256=:" + Base64.getEncoder().encodeToString(other) + ":";
        assertProblem("conflicting-content-digest", () -> UploadHeaders.sha256Digest(a + ", " + b));
        Optional<byte[]> same = UploadHeaders.sha256Digest(a + "," + a);
        assertTrue(same.isPresent());
    }

    @Test
    void overlongValuesAreRefusedUnparsed() {
        assertProblem("invalid-content-digest", () -> UploadHeaders.sha256Digest("sha-512=:" + "A".repeat(2000) + ":"));
        assertProblem("invalid-media-type", () -> UploadHeaders.mediaType("audio/wav; x=" + "y".repeat(300)));
        assertEquals(Optional.empty(), ByteRange.parse("bytes=" + "0-1,".repeat(100) + "0-1", 10));
        assertEquals(Optional.of(new ByteRange(0, 1)), ByteRange.parse("BYTES=0-1", 10));
    }
}
