package ai.ratelimiter.replay;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A plain-text table: the first column left-aligned, the others right-aligned, each as wide as
 * its widest cell. Not thread-safe; build and print it on one thread.
 */
final class TextTable {

    private final List<String[]> rows = new ArrayList<>();

    TextTable(String... header) {
        rows.add(header);
    }

    void add(Object... cells) {
        rows.add(Arrays.stream(cells).map(String::valueOf).toArray(String[]::new));
    }

    /** A row of a label and numbers. */
    void add(String label, long[] numbers) {
        String[] row = new String[numbers.length + 1];
        row[0] = label;
        for (int i = 0; i < numbers.length; i++) {
            row[i + 1] = Long.toString(numbers[i]);
        }
        rows.add(row);
    }

    void print(PrintStream out) {
        int columns = rows.get(0).length;
        int[] widths = new int[columns];
        for (String[] row : rows) {
            for (int i = 0; i < columns; i++) {
                widths[i] = Math.max(widths[i], row[i].length());
            }
        }
        for (String[] row : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < columns; i++) {
                String cell = row[i];
                String padding = " ".repeat(widths[i] - cell.length());
                line.append(i == 0 ? cell + padding : "  " + padding + cell);
            }
            out.println(line.toString().stripTrailing());
        }
    }
}
