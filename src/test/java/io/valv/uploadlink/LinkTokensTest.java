package io.valv.uploadlink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;

import org.junit.jupiter.api.Test;

/** Link secrets: 192 random bits, base64url, looked up by SHA-256; and how a note is shown. */
class LinkTokensTest {

    @Test
    void tokensAreLongRandomAndWellFormed() {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 1000; i++) {
            String token = LinkTokens.newToken();
            assertEquals(32, token.length());
            assertTrue(LinkTokens.wellFormed(token), token);
            assertTrue(seen.add(token));
        }
        assertTrue(LinkTokens.BYTES * 8 >= 128);
        assertFalse(LinkTokens.wellFormed("short"));
        assertFalse(LinkTokens.wellFormed("A".repeat(31) + "/"));
        assertFalse(LinkTokens.wellFormed(null));
    }

    @Test
    void theHashIsSha256OfTheToken() {
        String token = LinkTokens.newToken();
        assertEquals(32, LinkTokens.sha256(token).length);
        assertEquals(java.util.HexFormat.of().formatHex(LinkTokens.sha256(token)),
                java.util.HexFormat.of().formatHex(LinkTokens.sha256(token)));
        assertNotEquals(java.util.HexFormat.of().formatHex(LinkTokens.sha256(token)),
                java.util.HexFormat.of().formatHex(LinkTokens.sha256(LinkTokens.newToken())));
    }

    @Test
    void bidiControlsInANoteAreShownAsCodePoints() {
        assertEquals("evil[U+202E]txt [U+2066]x[U+2069] <b>", LinkPages.displayed("evil\u202Etxt \u2066x\u2069 <b>"));
        assertEquals("Hej då", LinkPages.displayed("Hej då"));
        assertEquals(null, LinkPages.displayed(null));
    }
}
