package io.valv.material;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

class ContentDispositionsTest {

    /** A parsed header: the disposition type and its parameters in order (names lowercased). */
    record Parsed(String type, List<Map.Entry<String, String>> params) {

        List<String> values(String name) {
            return params.stream().filter(p -> p.getKey().equals(name)).map(Map.Entry::getValue).toList();
        }

        List<String> names() {
            return params.stream().map(Map.Entry::getKey).toList();
        }
    }

    /**
     * A strict RFC 6266 parser: type *( ";" param ), param = token "=" ( token / quoted-string ). Fails
     * on anything else, so a header the fallback broke out of cannot parse into what the test expects.
     */
    static Parsed parse(String header) {
        int[] pos = { 0 };
        String type = token(header, pos);
        List<Map.Entry<String, String>> params = new ArrayList<>();
        skipSpaces(header, pos);
        while (pos[0] < header.length()) {
            expect(header, pos, ';');
            skipSpaces(header, pos);
            String name = token(header, pos).toLowerCase();
            expect(header, pos, '=');
            String value;
            if (pos[0] < header.length() && header.charAt(pos[0]) == '"') {
                pos[0]++;
                StringBuilder sb = new StringBuilder();
                while (true) {
                    if (pos[0] >= header.length()) {
                        throw new AssertionError("unterminated quoted-string in " + header);
                    }
                    char c = header.charAt(pos[0]++);
                    if (c == '"') {
                        break;
                    }
                    if (c == '\\') {
                        c = header.charAt(pos[0]++);
                    }
                    sb.append(c);
                }
                value = sb.toString();
            } else {
                value = extValue(header, pos);
            }
            params.add(Map.entry(name, value));
            skipSpaces(header, pos);
        }
        return new Parsed(type, params);
    }

    private static String token(String s, int[] pos) {
        int start = pos[0];
        while (pos[0] < s.length() && isTokenChar(s.charAt(pos[0]))) {
            pos[0]++;
        }
        if (start == pos[0]) {
            throw new AssertionError("token expected at " + start + " in " + s);
        }
        return s.substring(start, pos[0]);
    }

    /** RFC 8187 ext-value characters (token chars plus the quote used by charset''). */
    private static String extValue(String s, int[] pos) {
        int start = pos[0];
        while (pos[0] < s.length() && (isTokenChar(s.charAt(pos[0])) || s.charAt(pos[0]) == '\'')) {
            pos[0]++;
        }
        return s.substring(start, pos[0]);
    }

    private static boolean isTokenChar(char c) {
        return c > 0x20 && c < 0x7f && "()<>@,;:\\\"/[]?={} \t".indexOf(c) < 0;
    }

    private static void expect(String s, int[] pos, char c) {
        if (pos[0] >= s.length() || s.charAt(pos[0]) != c) {
            throw new AssertionError("'" + c + "' expected at " + pos[0] + " in " + s);
        }
        pos[0]++;
    }

    private static void skipSpaces(String s, int[] pos) {
        while (pos[0] < s.length() && s.charAt(pos[0]) == ' ') {
            pos[0]++;
        }
    }

    /** Decodes an RFC 8187 ext-value of the form UTF-8''pct-encoded. */
    static String decodeExtValue(String ext) {
        assertTrue(ext.startsWith("UTF-8''"), ext);
        String encoded = ext.substring("UTF-8''".length());
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        for (int i = 0; i < encoded.length(); i++) {
            char c = encoded.charAt(i);
            if (c == '%') {
                bytes.write(Integer.parseInt(encoded.substring(i + 1, i + 3), 16));
                i += 2;
            } else {
                assertTrue("!#$&+-.^_`|~".indexOf(c) >= 0 || Character.isLetterOrDigit(c) && c < 0x80,
                        "not an attr-char: " + c);
                bytes.write(c);
            }
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void plainAsciiName() {
        assertEquals("attachment; filename=\"report.pdf\"; filename*=UTF-8''report.pdf",
                ContentDispositions.of("attachment", "report.pdf"));
    }

    @Test
    void nonAsciiIsReplacedInFallbackAndPercentEncodedInExtendedForm() {
        String header = ContentDispositions.of("attachment", "åäö.wav");
        Parsed p = parse(header);
        assertEquals("attachment", p.type());
        assertEquals(List.of("___.wav"), p.values("filename"));
        assertEquals(List.of("UTF-8''%C3%A5%C3%A4%C3%B6.wav"), p.values("filename*"));
    }

    @Test
    void spaceIsKeptInFallbackAndPercentEncodedInExtendedForm() {
        Parsed p = parse(ContentDispositions.of("inline", "a b.wav"));
        assertEquals("inline", p.type());
        assertEquals(List.of("a b.wav"), p.values("filename"));
        assertEquals(List.of("UTF-8''a%20b.wav"), p.values("filename*"));
    }

    @Test
    void quoteBackslashAndPercentAreReplacedInFallback() {
        Parsed p = parse(ContentDispositions.of("attachment", "a\"b\\c%d.txt"));
        assertEquals(List.of("a_b_c_d.txt"), p.values("filename"));
        assertEquals(List.of("UTF-8''a%22b%5Cc%25d.txt"), p.values("filename*"));
    }

    @Test
    void supplementaryCharacterBecomesOneUnderscoreAndFourBytes() {
        Parsed p = parse(ContentDispositions.of("attachment", "🎵.mp3"));
        assertEquals(List.of("_.mp3"), p.values("filename"));
        assertEquals(List.of("UTF-8''%F0%9F%8E%B5.mp3"), p.values("filename*"));
    }

    @Test
    void controlCharactersNeverReachTheHeader() {
        String header = ContentDispositions.of("attachment", "a\r\nSet-Cookie: x=1\u0000\u007f.txt");
        assertTrue(header.chars().allMatch(c -> c >= 0x20 && c < 0x7f), header);
        Parsed p = parse(header);
        assertEquals(List.of("a__Set-Cookie: x=1__.txt"), p.values("filename"));
        assertEquals("a\r\nSet-Cookie: x=1\u0000\u007f.txt", decodeExtValue(p.values("filename*").get(0)));
    }

    @ParameterizedTest
    @ValueSource(strings = { "\"; evil=1", "x\"; filename=\"evil.exe", "x\\\"; evil=1", "a;b=c.txt",
            "x\"; filename*=UTF-8''evil.exe", "%22; evil=1", "'; evil=1" })
    void filenameCannotBreakOutOfTheQuotedParameter(String name) {
        String header = ContentDispositions.of("attachment", name);
        Parsed p = parse(header);
        assertEquals("attachment", p.type());
        assertEquals(List.of("filename", "filename*"), p.names(), header);
        assertEquals(1, p.values("filename").size());
        assertEquals(name, decodeExtValue(p.values("filename*").get(0)));
    }

    @Test
    void evilNameKeepsItsTextInsideTheFallback() {
        Parsed p = parse(ContentDispositions.of("attachment", "\"; evil=1"));
        assertEquals(List.of("_; evil=1"), p.values("filename"));
        assertEquals(List.of("UTF-8''%22%3B%20evil%3D1"), p.values("filename*"));
    }

    @Provide
    Arbitrary<String> names() {
        Arbitrary<String> nasty = Arbitraries.strings().withChars("\"\\%;=' *åäö\r\n\u0000\u202E/").ofMinLength(1)
                .ofMaxLength(20);
        return Arbitraries.oneOf(nasty, Arbitraries.strings().all().ofMinLength(1).ofMaxLength(40)
                .filter(s -> s.codePoints().allMatch(Character::isDefined) && !hasLoneSurrogate(s)));
    }

    private static boolean hasLoneSurrogate(String s) {
        return !s.equals(new String(s.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8));
    }

    @Property
    void headerAlwaysParsesToExactlyTwoParametersAndRoundTrips(@ForAll("names") String name) {
        String header = ContentDispositions.of("attachment", name);
        assertTrue(header.chars().allMatch(c -> c >= 0x20 && c < 0x7f), "non-printable-ASCII in header");
        Parsed p = parse(header);
        assertEquals("attachment", p.type());
        assertEquals(List.of("filename", "filename*"), p.names(), header);
        assertEquals(name, decodeExtValue(p.values("filename*").get(0)));
        String fallback = p.values("filename").get(0);
        assertEquals(name.codePointCount(0, name.length()), fallback.length());
        assertTrue(fallback.chars().noneMatch(c -> c == '"' || c == '\\' || c == '%'), fallback);
    }
}
