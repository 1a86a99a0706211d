package io.valv.portal;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

import io.valv.dpa.RecordOfProcessing;

/**
 * The record of processing as CSV (RFC 4180), one row per agreement, for a spreadsheet. Every cell is
 * quoted, and a cell that a spreadsheet would run as a formula ({@code = + - @}, tab, CR) is prefixed with
 * an apostrophe: client names and DPA references are the outside world's.
 */
final class RecordCsv {

    static final List<String> HEADER = List.of("client_id", "client_name", "org_number", "contact", "client_status",
            "dpa_reference", "dpa_version", "dpa_status", "effective_from", "effective_to", "personal_data_allowed",
            "special_categories_allowed", "data_categories", "retention_days", "sub_processors");

    private RecordCsv() {
    }

    static String of(RecordOfProcessing record) {
        StringBuilder csv = new StringBuilder();
        row(csv, HEADER);
        for (RecordOfProcessing.Controller c : record.controllers()) {
            for (RecordOfProcessing.Agreement a : c.agreements()) {
                List<String> cells = new ArrayList<>();
                cells.add(c.clientId());
                cells.add(c.name());
                cells.add(c.orgNumber());
                cells.add(c.contact());
                cells.add(c.status());
                cells.add(a.reference());
                cells.add(a.version());
                cells.add(a.status());
                cells.add(String.valueOf(a.effectiveFrom()));
                cells.add(a.effectiveTo() == null ? "" : a.effectiveTo().toString());
                cells.add(String.valueOf(a.personalDataAllowed()));
                cells.add(String.valueOf(a.specialCategoriesAllowed()));
                cells.add(String.join("; ", a.dataCategories()));
                cells.add(String.valueOf(a.retentionDays()));
                cells.add(a.subProcessors().stream()
                        .map(t -> t.name() + " (" + t.country() + ", " + t.transferMechanism() + ")")
                        .collect(Collectors.joining("; ")));
                row(csv, cells);
            }
        }
        return csv.toString();
    }

    private static void row(StringBuilder csv, List<String> cells) {
        for (int i = 0; i < cells.size(); i++) {
            if (i > 0) {
                csv.append(',');
            }
            csv.append(cell(cells.get(i)));
        }
        csv.append("\r\n");
    }

    static String cell(String value) {
        String v = value == null ? "" : value;
        if (!v.isEmpty() && "=+-@\t\r".indexOf(v.charAt(0)) >= 0) {
            v = "'" + v;
        }
        return '"' + v.replace("\"", "\"\"") + '"';
    }
}
