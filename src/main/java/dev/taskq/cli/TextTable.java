package dev.taskq.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * Aligned columns for terminal output. The last column takes what is left of the line and is cut to
 * fit. Colour is applied after padding so escape codes never break the alignment.
 */
final class TextTable {
  /** One cell: its plain text and how to paint it. */
  record Cell(String text, UnaryOperator<String> paint) {
    static Cell of(String text) {
      return new Cell(text == null ? "" : text, UnaryOperator.identity());
    }
  }

  private final List<List<Cell>> rows = new ArrayList<>();

  void add(List<Cell> row) {
    rows.add(row);
  }

  boolean isEmpty() {
    return rows.isEmpty();
  }

  /** Lines indented by {@code indent} spaces, at most {@code width} characters before colour. */
  List<String> lines(int indent, int width) {
    int columns = rows.stream().mapToInt(List::size).max().orElse(0);
    int[] w = new int[columns];
    for (List<Cell> row : rows) {
      for (int i = 0; i < row.size() - 1; i++) {
        w[i] = Math.max(w[i], row.get(i).text().length());
      }
    }
    List<String> out = new ArrayList<>();
    for (List<Cell> row : rows) {
      StringBuilder sb = new StringBuilder(" ".repeat(indent));
      int used = indent;
      for (int i = 0; i < row.size(); i++) {
        Cell c = row.get(i);
        boolean last = i == row.size() - 1;
        String text = last ? HumanFormat.truncate(c.text(), Math.max(10, width - used)) : c.text();
        if (!last && w[i] == 0) {
          continue; // a column empty in every row takes no space
        }
        if (!last) {
          text = HumanFormat.pad(text, w[i]);
          used += w[i] + 2;
        }
        sb.append(c.paint().apply(text));
        if (!last) {
          sb.append("  ");
        }
      }
      out.add(sb.toString().stripTrailing());
    }
    return out;
  }
}
