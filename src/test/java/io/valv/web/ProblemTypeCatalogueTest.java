package io.valv.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/**
 * STYLE.md §18: problem types are one catalogue. {@link ProblemType} and the table in docs/api.md name the
 * same types with the same statuses, and every type the main code names (as a literal at a throw site) is
 * in the catalogue.
 */
class ProblemTypeCatalogueTest {

    private static final Pattern ROW = Pattern.compile("^\\| (`[a-z-]+`(?:, `[a-z-]+`)*) \\| (\\d{3}) \\|");
    private static final Pattern TICKED = Pattern.compile("`([a-z-]+)`");
    /** Where a type is named in code: constructors, factory methods, TYPE_BASE concatenation. */
    private static final List<Pattern> IN_CODE = List.of(
            Pattern.compile("new ProblemException\\(\\d{3}, \"([a-z-]+)\""),
            Pattern.compile("(?:badRequest|conflict|invalid)\\(\"([a-z-]+)\""),
            Pattern.compile("TYPE_BASE \\+ \"([a-z-]+)\""),
            Pattern.compile("once\\(headers, [^,]+, \"([a-z-]+)\"\\)"));

    @Test
    void docsListTheCatalogue() throws IOException {
        Map<String, Integer> documented = new TreeMap<>();
        for (String line : Files.readAllLines(Path.of("docs/api.md"))) {
            Matcher row = ROW.matcher(line);
            if (row.find()) {
                Matcher type = TICKED.matcher(row.group(1));
                while (type.find()) {
                    documented.put(type.group(1), Integer.parseInt(row.group(2)));
                }
            }
        }
        Map<String, Integer> catalogue = Stream.of(ProblemType.values())
                .collect(Collectors.toMap(ProblemType::slug, ProblemType::status, (a, b) -> a, TreeMap::new));
        assertEquals(catalogue, documented, "ProblemType vs docs/api.md");
    }

    @Test
    void everyTypeTheCodeNamesIsCatalogued() throws IOException {
        Set<String> catalogue = Stream.of(ProblemType.values()).map(ProblemType::slug).collect(Collectors.toSet());
        Set<String> named = new TreeSet<>();
        try (Stream<Path> files = Files.walk(Path.of("src/main/java"))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                String source = Files.readString(file);
                for (Pattern p : IN_CODE) {
                    Matcher m = p.matcher(source);
                    while (m.find()) {
                        named.add(m.group(1));
                    }
                }
            }
        }
        assertTrue(named.size() > 20, "the scan finds the throw sites: " + named);
        named.removeAll(catalogue);
        assertEquals(Set.of(), named, "problem types named in src/main/java but not in ProblemType");
    }
}
