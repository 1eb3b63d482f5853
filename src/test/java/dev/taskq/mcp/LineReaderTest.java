package dev.taskq.mcp;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LineReaderTest {
  /** Hands out one byte per read, so every line and every UTF-8 sequence straddles reads. */
  static InputStream trickle(String s) {
    ByteArrayInputStream all = new ByteArrayInputStream(s.getBytes(StandardCharsets.UTF_8));
    return new InputStream() {
      @Override
      public int read() {
        return all.read();
      }

      @Override
      public int read(byte[] b, int off, int len) {
        return len == 0 ? 0 : all.read(b, off, 1);
      }
    };
  }

  static List<String> lines(InputStream in, int max) throws IOException {
    LineReader r = new LineReader(in, max);
    List<String> out = new ArrayList<>();
    for (LineReader.Line l = r.next(); l != null; l = r.next()) {
      out.add(l.tooLong() ? "TOO LONG " + l.length() : l.text());
    }
    return out;
  }

  @Test
  void splits_on_newline_drops_carriage_returns_and_keeps_a_last_unterminated_line()
      throws Exception {
    assertThat(lines(trickle("a\r\n\nb\nlast"), 100)).containsExactly("a", "", "b", "last");
  }

  @Test
  void multi_byte_characters_split_across_reads_decode_whole() throws Exception {
    assertThat(lines(trickle("Prüfung — 検査 ✓\n"), 100)).containsExactly("Prüfung — 検査 ✓");
  }

  @Test
  void an_over_long_line_is_skipped_to_its_end_and_reading_goes_on() throws Exception {
    assertThat(lines(trickle("12345678901\nok\n"), 10)).containsExactly("TOO LONG 11", "ok");
  }

  @Test
  void a_line_of_exactly_the_limit_is_kept() throws Exception {
    assertThat(lines(trickle("1234567890\n"), 10)).containsExactly("1234567890");
  }

  @Test
  void empty_input_has_no_lines() throws Exception {
    assertThat(lines(trickle(""), 10)).isEmpty();
  }
}
