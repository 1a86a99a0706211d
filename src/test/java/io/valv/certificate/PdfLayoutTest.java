package io.valv.certificate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

/** The wrapping rules, measured in characters (one unit per char) so that each case is easy to reason about. */
class PdfLayoutTest {

    private static final PdfLayout.Measure CHARS = s -> s.codePointCount(0, s.length());

    @Test
    void wrapsAtSpacesAndNeverInsideAWordThatFits() {
        List<String> lines = PdfLayout.wrap("Database backups kept for up to 30 days may still hold the wrapped data key",
                CHARS, 20);
        assertEquals(List.of("Database backups", "kept for up to 30", "days may still hold", "the wrapped data key"), lines);
    }

    @Test
    void randomProseKeepsEveryWordWholeAndEveryLineWithinWidth() {
        Random random = new Random(18);
        String[] vocabulary = "cryptographic erase for up to thirty days personuppgiftsbiträdesavtal å ä ö key sanitization of NIST"
                .split(" ");
        for (int round = 0; round < 500; round++) {
            StringBuilder text = new StringBuilder();
            for (int i = 0, n = random.nextInt(40); i < n; i++) {
                text.append(vocabulary[random.nextInt(vocabulary.length)]).append(random.nextInt(5) == 0 ? "  " : " ");
            }
            int width = 28 + random.nextInt(40); // wider than the longest word: no word may ever be split
            List<String> lines = PdfLayout.wrap(text.toString(), CHARS, width);
            for (String line : lines) {
                assertTrue(line.length() <= width, line);
                for (String word : line.split(" ")) {
                    assertTrue(word.isEmpty() || Arrays.asList(vocabulary).contains(word),
                            "broken word '" + word + "' in " + lines);
                }
            }
            assertEquals(String.join(" ", text.toString().trim().split(" +")), String.join(" ", lines).trim());
        }
    }

    @Test
    void aWordWiderThanTheLineSplitsAtItsSeamsFirst() {
        List<String> lines = PdfLayout.wrap("see intervju-åsa-2026-12-01_slutversion.wav now", CHARS, 16);
        assertEquals(List.of("see", "intervju-åsa-", "2026-12-01_", "slutversion.wav", "now"), lines);
    }

    @Test
    void aRunWithoutSeamsIsCutOnlyAsALastResortAndLosesNothing() {
        String hex = "a".repeat(25);
        List<String> lines = PdfLayout.wrap(hex, CHARS, 10);
        assertEquals(List.of("aaaaaaaaaa", "aaaaaaaaaa", "aaaaa"), lines);
    }

    @Test
    void neverCutsASurrogatePair() {
        String emoji = "\uD83C\uDF99".repeat(7); // 7 studio microphones, two chars each
        for (String line : PdfLayout.wrap(emoji, CHARS, 3)) {
            assertTrue(!Character.isHighSurrogate(line.charAt(line.length() - 1)), "a line ends inside a surrogate pair");
        }
    }

    @Test
    void newlinesStartLines() {
        assertEquals(List.of("first half", "second"), PdfLayout.wrap("first half\nsecond", CHARS, 40));
    }
}
