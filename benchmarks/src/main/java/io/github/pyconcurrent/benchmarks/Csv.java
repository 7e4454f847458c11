package io.github.pyconcurrent.benchmarks;

import java.util.ArrayList;
import java.util.List;

/** Reads one line of the CSV that {@link ComparisonTable#toCsv()} writes (RFC 4180 quoting). */
final class Csv {
    private Csv() {}

    /** The fields of {@code line}: quoted fields may hold commas and doubled quotes. */
    static List<String> split(String line) {
        List<String> fields = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quoted) {
                if (c == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
                    field.append('"');
                    i++;
                } else if (c == '"') {
                    quoted = false;
                } else {
                    field.append(c);
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == ',') {
                fields.add(field.toString());
                field.setLength(0);
            } else {
                field.append(c);
            }
        }
        fields.add(field.toString());
        return fields;
    }
}
