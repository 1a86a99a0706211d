package io.valv.certificate;

import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.fontbox.ttf.TTFParser;
import org.apache.fontbox.ttf.TrueTypeFont;
import org.apache.pdfbox.io.RandomAccessReadBuffer;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDDocumentNameDictionary;
import org.apache.pdfbox.pdmodel.PDEmbeddedFilesNameTreeNode;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.common.filespecification.PDComplexFileSpecification;
import org.apache.pdfbox.pdmodel.common.filespecification.PDEmbeddedFile;
import org.apache.pdfbox.pdmodel.font.PDFont;
import org.apache.pdfbox.pdmodel.font.PDType0Font;

/**
 * A small top-to-bottom layout on A4 pages: headings, paragraphs, label/value fields and tables whose
 * rows continue on as many pages as they need (header repeated). Text is wrapped at spaces; a word is
 * never split unless it is wider than its whole column on its own (a long file name, a URL), and then
 * at a hyphen, underscore, dot or slash first and only as a last resort between two characters.
 *
 * <p>
 * Fonts are DejaVu Sans Condensed and DejaVu Sans Mono, vendored under {@code fonts/} (Bitstream Vera
 * licence) and embedded as subsets. The standard 14 fonts would do for å, ä and ö (WinAnsi has them), but
 * not for a file name in Polish, Greek, Cyrillic or Hebrew, and PDF/A requires embedded fonts anyway.
 */
final class PdfLayout implements Closeable {

    static final float PAGE_WIDTH = PDRectangle.A4.getWidth();
    static final float PAGE_HEIGHT = PDRectangle.A4.getHeight();
    static final float MARGIN = 50;
    static final float CONTENT_WIDTH = PAGE_WIDTH - 2 * MARGIN;
    static final float LABEL_WIDTH = 140;
    private static final float BOTTOM = 62;
    private static final float SIZE = 9.5f;
    private static final float LEADING = 12.5f;
    private static final float GAP = 6;

    /** Measures the width of a string in points: the only thing wrapping needs of a font. */
    interface Measure {
        float width(String s);
    }

    /** A table column: header, width in points, whether its values are hashes or ids (monospace). */
    record Column(String header, float width, boolean mono) {
    }

    final PDDocument pdf = new PDDocument();
    final PDFont regular;
    final PDFont bold;
    final PDFont mono;
    private final Map<PDFont, Map<Integer, Boolean>> glyphs = new HashMap<>();
    private final List<TrueTypeFont> ttfs = new ArrayList<>();
    private final Map<String, PDComplexFileSpecification> attachments = new java.util.TreeMap<>();
    private PDPageContentStream out;
    private float y;

    PdfLayout() {
        try {
            regular = font("DejaVuSansCondensed.ttf");
            bold = font("DejaVuSansCondensed-Bold.ttf");
            mono = font("DejaVuSansMono.ttf");
        } catch (IOException e) {
            throw new IllegalStateException("the certificate fonts are missing from the application", e);
        }
        newPage();
    }

    private PDFont font(String file) throws IOException {
        try (InputStream in = PdfLayout.class.getResourceAsStream("fonts/" + file)) {
            if (in == null) {
                throw new IOException("fonts/" + file + " not on the class path");
            }
            TrueTypeFont ttf = new TTFParser().parse(new RandomAccessReadBuffer(in));
            // No ligatures: PDFBox would set "Certificate" with the fi ligature glyph, which pdftotext,
            // search and copy-paste then give back as "Certiﬁcate" - the reader must find the words as typed.
            ttf.setEnableGsub(false);
            ttfs.add(ttf);
            return PDType0Font.load(pdf, ttf, true);
        }
    }

    void title(String text, float size) {
        for (String line : wrap(safe(text, bold), s -> width(bold, size, s), CONTENT_WIDTH)) {
            need(size * 1.3f);
            show(bold, size, MARGIN, y - size, line);
            y -= size * 1.3f;
        }
        y -= GAP;
    }

    /** A section heading with a rule under it; kept together with at least two lines of what follows. */
    void heading(String text) {
        need(LEADING * 4);
        y -= GAP;
        show(bold, 12, MARGIN, y - 12, safe(text, bold));
        y -= 16;
        rule(MARGIN, y, CONTENT_WIDTH, 0.6f);
        y -= GAP;
    }

    /** A party's name line inside a section: bold, without a rule. */
    void subheading(String text) {
        need(LEADING * 3);
        y -= 2;
        show(bold, 10, MARGIN, y - 10, safe(text, bold));
        y -= 14;
    }

    void paragraph(String text) {
        lines(regular, SIZE, MARGIN, CONTENT_WIDTH, text);
        y -= GAP / 2;
    }

    /** Preformatted lines (shell commands): monospace, smaller, each line wrapped only if it must be. */
    void code(String text) {
        for (String line : text.split("\n", -1)) {
            // a command's continuation line keeps its indent: wrapping alone would drop the leading spaces
            int indent = line.length() - line.stripLeading().length();
            float x = MARGIN + 12 + width(mono, 8, " ".repeat(indent));
            for (String part : wrap(safe(line.stripLeading(), mono), s -> width(mono, 8, s), MARGIN + CONTENT_WIDTH - x)) {
                need(10.5f);
                show(mono, 8, x, y - 8, part);
                y -= 10.5f;
            }
        }
        y -= GAP / 2;
    }

    /**
     * A QR code of {@code modules} (true = dark), {@code size} points wide with its quiet zone of four modules
     * (ISO/IEC 18004), drawn as filled vector rectangles, one per run of dark modules in a row: sharp at any
     * zoom or print size, and no image for PDF/A to describe. The caption stands to its right.
     */
    void qr(boolean[][] modules, float size, String caption) {
        int n = modules.length;
        float module = size / (n + 8);
        need(size + GAP);
        float top = y;
        try {
            for (int row = 0; row < n; row++) {
                for (int col = 0; col < n; col++) {
                    if (!modules[row][col]) {
                        continue;
                    }
                    int start = col;
                    while (col + 1 < n && modules[row][col + 1]) {
                        col++;
                    }
                    out.addRect(MARGIN + (4 + start) * module, top - (4 + row + 1) * module, (col - start + 1) * module,
                            module);
                }
            }
            out.fill();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        y = top - 4 * module;
        lines(regular, SIZE, MARGIN + size + 12, CONTENT_WIDTH - size - 12, caption);
        y = Math.min(y, top - size) - GAP;
    }

    void field(String label, String value) {
        field(label, value, false);
    }

    /** A label and its value side by side; the value wraps in its own column. Hashes and ids go in monospace. */
    void field(String label, String value, boolean monospace) {
        value = value == null || value.isBlank() ? "–" : value;
        PDFont font = monospace ? mono : regular;
        float size = monospace ? 8.5f : SIZE;
        // Swedish compounds ("Personuppgiftsbiträdesavtal") can be wider than the label column: set such a
        // label smaller rather than break the word
        String shownLabel = safe(label, bold);
        float labelSize = SIZE;
        while (labelSize > 7 && widestWord(shownLabel, bold, labelSize) > LABEL_WIDTH - 8) {
            labelSize -= 0.25f;
        }
        float ls = labelSize;
        List<String> labelLines = wrap(shownLabel, s -> width(bold, ls, s), LABEL_WIDTH - 8);
        List<String> valueLines = wrap(safe(value, font), s -> width(font, size, s), CONTENT_WIDTH - LABEL_WIDTH);
        int rows = Math.max(labelLines.size(), valueLines.size());
        for (int i = 0; i < rows; i++) {
            need(LEADING);
            if (i < labelLines.size()) {
                show(bold, labelSize, MARGIN, y - SIZE, labelLines.get(i));
            }
            if (i < valueLines.size()) {
                show(font, size, MARGIN + LABEL_WIDTH, y - SIZE, valueLines.get(i));
            }
            y -= LEADING;
        }
        y -= 2;
    }

    /** Rows in columns; every row is drawn whole on one page, and each page the table reaches repeats its header. */
    void table(List<Column> columns, List<List<String>> rows) {
        tableHeader(columns);
        for (List<String> row : rows) {
            List<List<String>> cells = new ArrayList<>();
            int height = 1;
            for (int c = 0; c < columns.size(); c++) {
                Column column = columns.get(c);
                PDFont font = column.mono() ? mono : regular;
                float size = column.mono() ? 7.5f : 8.5f;
                List<String> lines = wrap(safe(row.get(c), font), s -> width(font, size, s), column.width() - 6);
                cells.add(lines);
                height = Math.max(height, lines.size());
            }
            float rowHeight = height * 11 + 3;
            if (y - rowHeight < BOTTOM) {
                newPage();
                tableHeader(columns);
            }
            float x = MARGIN;
            for (int c = 0; c < columns.size(); c++) {
                Column column = columns.get(c);
                PDFont font = column.mono() ? mono : regular;
                float size = column.mono() ? 7.5f : 8.5f;
                List<String> lines = cells.get(c);
                for (int l = 0; l < lines.size(); l++) {
                    show(font, size, x, y - 9 - l * 11, lines.get(l));
                }
                x += column.width();
            }
            y -= rowHeight;
            rule(MARGIN, y + 1.5f, CONTENT_WIDTH, 0.2f);
        }
        y -= GAP;
    }

    private void tableHeader(List<Column> columns) {
        need(30);
        float x = MARGIN;
        int height = 1;
        for (Column column : columns) {
            List<String> lines = wrap(safe(column.header(), bold), s -> width(bold, 8.5f, s), column.width() - 6);
            for (int l = 0; l < lines.size(); l++) {
                show(bold, 8.5f, x, y - 9 - l * 11, lines.get(l));
            }
            height = Math.max(height, lines.size());
            x += column.width();
        }
        y -= height * 11 + 3;
        rule(MARGIN, y + 1.5f, CONTENT_WIDTH, 0.6f);
    }

    /**
     * Attaches a file to the document (the PDF's embedded-files name tree, shown in a reader's attachments
     * panel), so that the one PDF carries the machine-verifiable proof beside its picture.
     */
    void attach(String name, String mediaType, String description, byte[] content) {
        try {
            PDEmbeddedFile file = new PDEmbeddedFile(pdf, new java.io.ByteArrayInputStream(content));
            file.setSubtype(mediaType);
            file.setSize(content.length);
            PDComplexFileSpecification spec = new PDComplexFileSpecification();
            spec.setFile(name);
            spec.setFileUnicode(name);
            spec.setEmbeddedFile(file);
            spec.setEmbeddedFileUnicode(file);
            spec.setFileDescription(description);
            attachments.put(name, spec);
            PDEmbeddedFilesNameTreeNode tree = new PDEmbeddedFilesNameTreeNode();
            tree.setNames(attachments);
            PDDocumentNameDictionary names = new PDDocumentNameDictionary(pdf.getDocumentCatalog());
            names.setEmbeddedFiles(tree);
            pdf.getDocumentCatalog().setNames(names);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Writes "page n of N" and a reference line at the foot of every page, then the whole document.
     * Done last because N is known only then.
     */
    byte[] finish(String footer, String pageOfPages) {
        try {
            out.close();
            int total = pdf.getNumberOfPages();
            for (int i = 0; i < total; i++) {
                PDPage page = pdf.getPage(i);
                try (PDPageContentStream foot = new PDPageContentStream(pdf, page, PDPageContentStream.AppendMode.APPEND, true,
                        true)) {
                    out = foot;
                    rule(MARGIN, BOTTOM - 14, CONTENT_WIDTH, 0.4f);
                    show(regular, 7.5f, MARGIN, BOTTOM - 26, safe(footer, regular));
                    String pages = String.format(pageOfPages, i + 1, total);
                    show(regular, 7.5f, PAGE_WIDTH - MARGIN - width(regular, 7.5f, pages), BOTTOM - 26, pages);
                }
            }
            PdfArchival.apply(pdf, attachments.values());
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            pdf.save(bytes);
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new IllegalStateException("could not write the certificate PDF", e);
        }
    }

    @Override
    public void close() throws IOException {
        pdf.close();
        for (TrueTypeFont ttf : ttfs) {
            ttf.close();
        }
    }

    private void lines(PDFont font, float size, float x, float width, String text) {
        for (String line : wrap(safe(text, font), s -> width(font, size, s), width)) {
            need(LEADING);
            show(font, size, x, y - size, line);
            y -= LEADING;
        }
    }

    private void need(float height) {
        if (y - height < BOTTOM) {
            newPage();
        }
    }

    private void newPage() {
        try {
            if (out != null) {
                out.close();
            }
            PDPage page = new PDPage(PDRectangle.A4);
            pdf.addPage(page);
            out = new PDPageContentStream(pdf, page);
            y = PAGE_HEIGHT - MARGIN;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private void show(PDFont font, float size, float x, float baseline, String text) {
        try {
            out.beginText();
            out.setFont(font, size);
            out.newLineAtOffset(x, baseline);
            out.showText(text);
            out.endText();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private void rule(float x, float at, float length, float thickness) {
        try {
            out.setLineWidth(thickness);
            out.moveTo(x, at);
            out.lineTo(x + length, at);
            out.stroke();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static float widestWord(String text, PDFont font, float size) {
        float widest = 0;
        for (String word : text.split("\\s+")) {
            widest = Math.max(widest, width(font, size, word));
        }
        return widest;
    }

    static float width(PDFont font, float size, String s) {
        try {
            return font.getStringWidth(s) / 1000 * size;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The text with every character the font has no glyph for (an emoji, a script DejaVu lacks) shown as
     * '?', and control characters as spaces. The signed JSON keeps the exact value; this is only its picture.
     */
    String safe(String text, PDFont font) {
        Map<Integer, Boolean> known = glyphs.computeIfAbsent(font, f -> new HashMap<>());
        StringBuilder shown = new StringBuilder(text.length());
        text.codePoints().forEach(cp -> {
            if (cp == '\n') {
                shown.append('\n');
            } else if (Character.isISOControl(cp)) {
                shown.append(' ');
            } else if (known.computeIfAbsent(cp, c -> hasGlyph(font, c))) {
                shown.appendCodePoint(cp);
            } else {
                shown.append('?');
            }
        });
        return shown.toString();
    }

    private static boolean hasGlyph(PDFont font, int codePoint) {
        try {
            font.encode(new String(Character.toChars(codePoint)));
            return true;
        } catch (IllegalArgumentException | IOException e) {
            return false;
        }
    }

    /**
     * Greedy line filling at spaces ({@code \n} starts a new line). A word that does not fit on the current
     * line moves whole to the next one; only a word wider than the whole width is split, see
     * {@link #splitLong}.
     */
    static List<String> wrap(String text, Measure measure, float width) {
        List<String> lines = new ArrayList<>();
        for (String paragraph : text.split("\n", -1)) {
            StringBuilder line = new StringBuilder();
            for (String word : paragraph.split(" +")) {
                if (word.isEmpty()) {
                    continue;
                }
                String candidate = line.isEmpty() ? word : line + " " + word;
                if (measure.width(candidate) <= width) {
                    line.setLength(0);
                    line.append(candidate);
                    continue;
                }
                if (!line.isEmpty()) {
                    lines.add(line.toString());
                    line.setLength(0);
                }
                if (measure.width(word) <= width) {
                    line.append(word);
                } else {
                    List<String> pieces = splitLong(word, measure, width);
                    lines.addAll(pieces.subList(0, pieces.size() - 1));
                    line.append(pieces.get(pieces.size() - 1));
                }
            }
            lines.add(line.toString());
        }
        return lines;
    }

    /**
     * A word wider than the line: broken after a '-', '_', '.', '/', '=' or '&amp;' where one is found, so that
     * a file name or URL splits at a visible seam; a run without any is cut between characters.
     */
    static List<String> splitLong(String word, Measure measure, float width) {
        List<String> segments = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < word.length(); i++) {
            if ("-_./=&".indexOf(word.charAt(i)) >= 0) {
                segments.add(word.substring(start, i + 1));
                start = i + 1;
            }
        }
        if (start < word.length()) {
            segments.add(word.substring(start));
        }
        List<String> pieces = new ArrayList<>();
        StringBuilder piece = new StringBuilder();
        for (String segment : segments) {
            if (measure.width(piece + segment) <= width) {
                piece.append(segment);
                continue;
            }
            if (!piece.isEmpty()) {
                pieces.add(piece.toString());
                piece.setLength(0);
            }
            // a segment wider than the line on its own: cut it by code points, never inside a surrogate pair
            int[] cps = segment.codePoints().toArray();
            for (int cp : cps) {
                String next = piece + new String(Character.toChars(cp));
                if (!piece.isEmpty() && measure.width(next) > width) {
                    pieces.add(piece.toString());
                    piece.setLength(0);
                }
                piece.appendCodePoint(cp);
            }
        }
        pieces.add(piece.toString());
        return pieces;
    }
}
