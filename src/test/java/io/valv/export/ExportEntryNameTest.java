package io.valv.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.valv.material.Material;

/** Entry names are safe to extract and to list in SHA256SUMS, whatever the display filename. */
class ExportEntryNameTest {

    private static String name(String filename) {
        Material m = new Material();
        m.id = UUID.fromString("00000000-0000-4000-8000-000000000001");
        m.filename = filename;
        return ExportArchive.entryName(m);
    }

    @Test
    void keepsOrdinaryNames() {
        assertEquals("files/00000000-0000-4000-8000-000000000001/take 1.wav", name("take 1.wav"));
        assertEquals("files/00000000-0000-4000-8000-000000000001/Intervju_åäö.mp4", name("Intervju:åäö.mp4"));
    }

    @Test
    void neverLeavesItsFolderNorBreaksASumsLine() {
        assertEquals("files/00000000-0000-4000-8000-000000000001/_..", name(".."));
        assertEquals("files/00000000-0000-4000-8000-000000000001/_.hidden", name(".hidden"));
        assertEquals("files/00000000-0000-4000-8000-000000000001/_.._.._etc_passwd", name("../../etc/passwd"));
        assertEquals("files/00000000-0000-4000-8000-000000000001/a_b_c", name("a\nb\\c"));
        assertEquals("files/00000000-0000-4000-8000-000000000001/_", name("   "));
    }

    @Test
    void isBounded() {
        String n = name("x".repeat(5000) + ".wav");
        assertTrue(n.endsWith(".wav") && n.length() <= "files/".length() + 36 + 1 + 121, n);
        assertTrue(name("x".repeat(500) + ".".repeat(200)).endsWith("/_" + ".".repeat(120)), "a dot after cutting too");
    }
}
