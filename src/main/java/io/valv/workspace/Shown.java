package io.valv.workspace;

import io.quarkus.qute.TemplateExtension;

/**
 * Names the client chose (job titles, filenames) as the workspace shows them. Qute escapes markup; this also
 * makes invisible characters visible: a bidi override (U+202E) or another control or format character in a
 * title could make "report\u202Efdp.exe" read as "reportexe.pdf", so each is shown as its code point instead.
 */
@TemplateExtension
final class Shown {

    private Shown() {
    }

    static String shown(String text) {
        if (text == null) {
            return "";
        }
        StringBuilder out = new StringBuilder(text.length());
        text.codePoints().forEach(c -> {
            int type = Character.getType(c);
            if (type == Character.FORMAT || type == Character.CONTROL || type == Character.LINE_SEPARATOR
                    || type == Character.PARAGRAPH_SEPARATOR) {
                out.append(String.format("[U+%04X]", c));
            } else {
                out.appendCodePoint(c);
            }
        });
        return out.toString();
    }
}
