package io.valv.certificate;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.font.PDType1Font;
import org.apache.pdfbox.pdmodel.font.Standard14Fonts;

/** A readable PDF of a certificate's facts, for filing. The signed JSON remains the authoritative form. */
final class CertificatePdf {

    private static final float MARGIN = 56;
    private static final float LEADING = 14;
    private static final int WRAP = 92;

    private CertificatePdf() {
    }

    static byte[] render(String title, Map<String, Object> document, String verifyHint) {
        List<String[]> lines = new ArrayList<>();
        flatten("", document, lines);
        try (PDDocument pdf = new PDDocument(); ByteArrayOutputStream out = new ByteArrayOutputStream()) {
            PDType1Font bold = new PDType1Font(Standard14Fonts.FontName.HELVETICA_BOLD);
            PDType1Font regular = new PDType1Font(Standard14Fonts.FontName.HELVETICA);
            PDPage page = new PDPage(PDRectangle.A4);
            pdf.addPage(page);
            PDPageContentStream text = new PDPageContentStream(pdf, page);
            float y = PDRectangle.A4.getHeight() - MARGIN;
            text.beginText();
            text.setFont(bold, 15);
            text.newLineAtOffset(MARGIN, y);
            text.showText(latin1(title));
            text.setFont(regular, 9);
            text.newLineAtOffset(0, -2 * LEADING);
            y -= 2 * LEADING;
            for (String[] line : lines) {
                for (String part : wrap(line[0] + ": " + line[1])) {
                    if (y < MARGIN + LEADING) {
                        text.endText();
                        text.close();
                        page = new PDPage(PDRectangle.A4);
                        pdf.addPage(page);
                        text = new PDPageContentStream(pdf, page);
                        y = PDRectangle.A4.getHeight() - MARGIN;
                        text.beginText();
                        text.setFont(regular, 9);
                        text.newLineAtOffset(MARGIN, y);
                    }
                    text.showText(latin1(part));
                    text.newLineAtOffset(0, -LEADING);
                    y -= LEADING;
                }
            }
            text.newLineAtOffset(0, -LEADING);
            for (String part : wrap(verifyHint)) {
                text.showText(latin1(part));
                text.newLineAtOffset(0, -LEADING);
            }
            text.endText();
            text.close();
            pdf.save(out);
            return out.toByteArray();
        } catch (IOException e) {
            throw new IllegalStateException("could not render the certificate PDF", e);
        }
    }

    @SuppressWarnings("unchecked")
    private static void flatten(String prefix, Object value, List<String[]> lines) {
        if (value instanceof Map<?, ?> map) {
            new java.util.TreeMap<>((Map<String, Object>) map).forEach((k, v) -> flatten(prefix.isEmpty() ? k : prefix + "." + k, v, lines));
        } else if (value instanceof List<?> list) {
            if (list.isEmpty()) {
                lines.add(new String[] { prefix, "(none)" });
            }
            for (int i = 0; i < list.size(); i++) {
                flatten(prefix + "[" + (i + 1) + "]", list.get(i), lines);
            }
        } else {
            lines.add(new String[] { prefix, String.valueOf(value) });
        }
    }

    private static List<String> wrap(String line) {
        List<String> parts = new ArrayList<>();
        for (int from = 0; from < line.length(); from += WRAP) {
            parts.add(line.substring(from, Math.min(line.length(), from + WRAP)));
        }
        return parts;
    }

    /** The standard 14 fonts cover WinAnsi only: anything else is shown as '?', the JSON keeps it exact. */
    private static String latin1(String s) {
        StringBuilder out = new StringBuilder(s.length());
        s.codePoints().forEach(c -> out.append(c >= 0x20 && c <= 0xFF && c != 0x7F ? (char) c : '?'));
        return out.toString();
    }
}
