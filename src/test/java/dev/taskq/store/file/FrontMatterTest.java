package dev.taskq.store.file;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.statistics.Statistics;

/**
 * The hand-written YAML path must agree with Jackson on everything it accepts, and give up on
 * everything else, so files people edit read exactly as before.
 */
class FrontMatterTest {
  /** Strings YAML readers are known to take for something else, or to mangle. */
  private static final List<String> NASTY =
      Stream.of(
              List.of("null", "Null", "~", "true", "True", "FALSE", "yes", "No", "on", "off"),
              List.of("y", "n", "007", "1e3", "1e-3", "0x1F", "0o17", "0b101", "1_000", "+5"),
              List.of("-5", "-0", ".5", ".inf", "-.inf", ".nan", "1.5", "0.", "12:30", "="),
              List.of("2026-01-01", "2026-01-31T12:00:00Z", "2026-01-31T12:00:00.123456789Z"),
              List.of("2026-01-31 12:00:00", "", " ", " x", "x ", "a: b", "a:b", "x:", ":x"),
              List.of("a #b", "a#b", "#c", "'q'", "\"q\"", "- x", "-", "[a]", "{a: 1}", "&a"),
              List.of("*a", "!t", "%x", "@x", "`x", "|x", ">x", "?x", "${X}", "<<", "---", "..."),
              List.of("a\tb", "\t", "a\nb", "a\n", "\n", "é", "héllo ☃", "😀", "\u0085", "\u2029"),
              List.of("a\u2028b", "\uFEFFx", "\u0000", "\u007f", "\u00a0", "\uFFFE", "\uD800x"),
              List.of("3/10", "3f2a9c1e@devbox#4121", "a\\b", "\\x41", "\\\"", "Audit N+1 queries"))
          .flatMap(List::stream)
          .toList();

  private static final String ALPHABET =
      "abXY019 _./@#-:+,()='\"\\\t\r\u0001\u007f\u0085\u00a0é☃\u2028\uFEFF!%&*[]{}|>?`~$";

  @Property(tries = 400)
  void fast_render_reads_back_the_same_through_jackson(@ForAll("fieldMaps") Map<String, Object> m) {
    String yaml = FastYamlWriter.write(m);
    Assume.that(yaml != null);
    assertThat(FrontMatter.readJackson(yaml)).containsExactlyEntriesOf(asJacksonReadsIt(m));
  }

  @Property(tries = 400)
  void fast_render_reads_back_the_same_through_the_fast_reader(
      @ForAll("fieldMaps") Map<String, Object> m) {
    String yaml = FastYamlWriter.write(m);
    Assume.that(yaml != null);
    assertThat(FastYamlReader.read(yaml)).isNotNull().containsExactlyEntriesOf(asJacksonReadsIt(m));
  }

  @Property(tries = 400)
  void jackson_render_parses_the_same_as_jackson_reads_it(
      @ForAll("fieldMaps") Map<String, Object> m) {
    String yaml = FrontMatter.writeJackson(m);
    assertAgreesWithJackson(yaml);
  }

  @Property(tries = 1000)
  void fast_reader_agrees_with_jackson_or_gives_up_on_hand_written_lines(
      @ForAll("handWritten") String yaml) {
    boolean fast = assertAgreesWithJackson(yaml);
    Statistics.label("path").collect(fast ? "fast" : "jackson");
    Statistics.label("path").coverage(c -> c.check("fast").percentage(p -> p > 10));
  }

  /** True when the fast reader took yaml; then it must give what Jackson gives. */
  private static boolean assertAgreesWithJackson(String yaml) {
    Map<String, Object> fast = FastYamlReader.read(yaml);
    Throwable failure = catchThrowable(() -> FrontMatter.readJackson(yaml));
    if (fast != null) {
      assertThat(failure).as("Jackson refuses what the fast reader took").isNull();
      assertThat(fast).containsExactlyEntriesOf(FrontMatter.readJackson(yaml));
    }
    Throwable viaParse = catchThrowable(() -> FrontMatter.parse("---\n" + yaml + "---\n"));
    if (yaml.isBlank()) {
      assertThat(viaParse).isNull(); // no fields, as before; Jackson alone calls it no content
    } else if (failure == null) {
      assertThat(viaParse).isNull();
    } else {
      assertThat(viaParse).hasMessage(failure.getMessage());
    }
    return fast != null;
  }

  /** Jackson reads back a long that fits in an int as an Integer. */
  private static Map<String, Object> asJacksonReadsIt(Map<String, Object> m) {
    Map<String, Object> out = new LinkedHashMap<>();
    m.forEach(
        (k, v) -> out.put(k, v instanceof Long l && l == l.intValue() ? (Object) l.intValue() : v));
    return out;
  }

  @Provide
  Arbitrary<Map<String, Object>> fieldMaps() {
    Arbitrary<String> keys =
        Arbitraries.frequencyOf(
            Tuple.of(12, Arbitraries.strings().withCharRange('a', 'z').withChars('_').ofLength(3)),
            Tuple.of(1, Arbitraries.of("yes", "n", "null", "Title", "a-b", "1x", "", "a b")));
    Arbitrary<Object> values =
        Arbitraries.frequencyOf(
            Tuple.of(6, strings()),
            Tuple.of(2, Arbitraries.integers()),
            Tuple.of(2, Arbitraries.longs()),
            Tuple.of(2, strings().list().ofMaxSize(4)));
    return Arbitraries.maps(keys, values).ofMaxSize(6).map(LinkedHashMap::new);
  }

  private static Arbitrary<String> strings() {
    Arbitrary<String> random = Arbitraries.strings().withChars(ALPHABET).ofMaxLength(12);
    Arbitrary<String> nasty = Arbitraries.of(NASTY);
    return Arbitraries.frequencyOf(
        Tuple.of(3, nasty),
        Tuple.of(3, random),
        Tuple.of(2, Arbitraries.strings().alpha().numeric().withChars(' ', '-').ofMaxLength(20)),
        Tuple.of(1, Arbitraries.doubles().map(String::valueOf)),
        Tuple.of(1, Arbitraries.integers().map(String::valueOf)),
        Tuple.of(2, Combinators.combine(nasty, random, nasty).as((a, b, c) -> a + b + c)));
  }

  /** Lines of the shapes the fast reader takes, mixed with shapes it must leave to Jackson. */
  @Provide
  Arbitrary<String> handWritten() {
    Arbitrary<String> key =
        Arbitraries.frequencyOf(
            Tuple.of(8, Arbitraries.of("a", "b", "c", "d", "title", "after")),
            Tuple.of(1, Arbitraries.of("yes", "A", "a b", "\"a\"", "a#", "é")));
    Arbitrary<String> raw =
        Arbitraries.frequencyOf(
            Tuple.of(4, strings().map(FrontMatterTest::asWritten)),
            Tuple.of(2, Arbitraries.of(NASTY).filter(s -> s.indexOf('\n') < 0)),
            Tuple.of(
                2,
                Arbitraries.of(
                    "\"a\\x85b\"",
                    "\"\\u2028\"",
                    "\"\\L\"",
                    "\"\\/\"",
                    "\"\\0\"",
                    "\"\\x4\"",
                    "\"\\uD800\"",
                    "\"a\" # c",
                    "\"a\"x",
                    "\"a",
                    "'a'",
                    "[a, b]",
                    "[]",
                    "{}",
                    "&x a",
                    "!!str 5",
                    "|",
                    ">-",
                    "x # c",
                    "2147483648",
                    "-2147483648",
                    "999999999999999999",
                    "9999999999999999999",
                    "-9223372036854775808",
                    "9223372036854775808",
                    "0",
                    "1",
                    "a  b",
                    "\"\\t\\r\\\\\\\"\"",
                    "\"\\xe9\\u00e9\\xE9\"",
                    "\"\\uFF11\"",
                    "\"\\x１１\"")));
    Arbitrary<String> line =
        Arbitraries.frequencyOf(
            Tuple.of(6, Combinators.combine(key, raw).as((k, v) -> k + ": " + v)),
            Tuple.of(3, raw.map(v -> "- " + v)),
            Tuple.of(2, key.map(k -> k + ":")),
            Tuple.of(1, Arbitraries.of("", "  b: 1", "  x", "# c", "-", "a:b", "a:  b", "a:\t1")));
    return line.list().ofMinSize(1).ofMaxSize(4).map(FrontMatterTest::lines);
  }

  /** The value as the fast writer puts it after "key: ", or a plain word if it gives up. */
  private static String asWritten(String value) {
    String yaml = FastYamlWriter.write(Map.of("k", value));
    return yaml == null ? "word" : yaml.substring(3, yaml.length() - 1);
  }

  private static String lines(List<String> lines) {
    return String.join("\n", new ArrayList<>(lines)) + "\n";
  }
}
