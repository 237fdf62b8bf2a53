package io.sluice.cli.api;

import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/** Rows of text in aligned columns under a header; a cell may be painted after it is padded, so colour keeps them aligned. */
final class TextTable {

    /** One cell: its text, and how to paint it (identity for none). */
    record Cell(String text, UnaryOperator<String> paint) {
        static Cell of(String text) {
            return new Cell(text == null ? "-" : text, UnaryOperator.identity());
        }
    }

    private final List<String> header;
    private final List<List<Cell>> rows = new ArrayList<>();

    TextTable(String... header) {
        this.header = List.of(header);
    }

    void add(Cell... cells) {
        rows.add(List.of(cells));
    }

    List<String> lines() {
        int[] widths = new int[header.size()];
        for (int i = 0; i < widths.length; i++) {
            widths[i] = header.get(i).length();
            for (List<Cell> row : rows) {
                widths[i] = Math.max(widths[i], row.get(i).text().length());
            }
        }
        List<String> lines = new ArrayList<>();
        lines.add(line(header.stream().map(Cell::of).toList(), widths));
        rows.forEach(row -> lines.add(line(row, widths)));
        return lines;
    }

    private static String line(List<Cell> cells, int[] widths) {
        StringBuilder line = new StringBuilder();
        for (int i = 0; i < cells.size(); i++) {
            Cell cell = cells.get(i);
            boolean last = i == cells.size() - 1;
            String padded = last ? cell.text() : String.format("%-" + widths[i] + "s", cell.text());
            line.append(cell.paint().apply(padded));
            if (!last) {
                line.append("  ");
            }
        }
        return line.toString().stripTrailing();
    }
}
