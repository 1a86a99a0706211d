package io.valv.portal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.valv.dpa.RecordOfProcessing;

class RecordCsvTest {

    @Test
    void oneQuotedRowPerAgreement() {
        var transfer = new RecordOfProcessing.Transfer("Object storage", "storage", "SE", "none (EU)");
        var agreement = new RecordOfProcessing.Agreement("DPA \"1\"", "2", "active", LocalDate.parse("2026-01-01"), null,
                true, false, List.of("voices", "names"), 30, List.of(transfer));
        var controller = new RecordOfProcessing.Controller("acme", "Acme, Research AB", null, "dpo@acme.example", "active",
                List.of(agreement, agreement));
        String csv = RecordCsv.of(new RecordOfProcessing("Valv AB", Instant.EPOCH, "storage", List.of(controller),
                List.of()));
        String[] lines = csv.split("\r\n");
        assertEquals(3, lines.length);
        assertEquals("\"acme\",\"Acme, Research AB\",\"\",\"dpo@acme.example\",\"active\",\"DPA \"\"1\"\"\",\"2\",\"active\","
                + "\"2026-01-01\",\"\",\"true\",\"false\",\"voices; names\",\"30\",\"Object storage (SE, none (EU))\"",
                lines[1]);
    }

    /** A cell a spreadsheet would evaluate (CSV injection) is text. */
    @Test
    void formulasAreDefused() {
        for (String formula : List.of("=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx")) {
            assertEquals("\"'" + formula + "\"", RecordCsv.cell(formula));
        }
        assertEquals("\"plain\"", RecordCsv.cell("plain"));
        assertEquals("\"\"", RecordCsv.cell(null));
    }
}
