package dev.taskq.store.file;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.core.type.TypeReference;
import tools.jackson.dataformat.yaml.YAMLMapper;
import tools.jackson.dataformat.yaml.YAMLWriteFeature;

/**
 * Markdown with YAML front matter: splits, parses and renders it. Tolerates what people's editors
 * produce (a UTF-8 byte-order mark, CRLF line ends). The files taskq writes itself take a
 * hand-written path ({@link FastYamlWriter}, {@link FastYamlReader}) as Jackson YAML costs a few
 * hundred microseconds per file on every claim and completion; anything else goes to Jackson.
 */
final class FrontMatter {
  private static final YAMLMapper YAML =
      YAMLMapper.builder()
          .disable(YAMLWriteFeature.WRITE_DOC_START_MARKER)
          .enable(YAMLWriteFeature.MINIMIZE_QUOTES)
          .disable(YAMLWriteFeature.SPLIT_LINES)
          .build();
  private static final TypeReference<LinkedHashMap<String, Object>> MAP = new TypeReference<>() {};

  /** The parsed parts of a file; {@code fields} is empty when the file has no front matter. */
  record Parts(Map<String, Object> fields, String body, boolean hadFrontMatter) {}

  private FrontMatter() {}

  static String decode(byte[] bytes) {
    String s = new String(bytes, StandardCharsets.UTF_8);
    if (!s.isEmpty() && s.charAt(0) == '\uFEFF') {
      s = s.substring(1);
    }
    return s.replace("\r\n", "\n");
  }

  /** Splits and parses; throws IllegalArgumentException with a reason a person can act on. */
  static Parts parse(String text) {
    if (!text.startsWith("---\n")) {
      return new Parts(Map.of(), text, false);
    }
    int end = text.indexOf("\n---", 3);
    while (end >= 0) {
      int after = end + 4;
      if (after == text.length() || text.charAt(after) == '\n') {
        break;
      }
      end = text.indexOf("\n---", after);
    }
    if (end < 0) {
      throw new IllegalArgumentException(
          "front matter starts with --- but has no closing --- line");
    }
    String yaml = text.substring(4, end + 1);
    String body = end + 5 >= text.length() ? "" : text.substring(end + 5);
    if (yaml.isBlank()) {
      return new Parts(new LinkedHashMap<>(), body, true);
    }
    Map<String, Object> fields = FastYamlReader.read(yaml);
    return new Parts(fields != null ? fields : readJackson(yaml), body, true);
  }

  /** The general path: any YAML people write, with the error messages they see for bad YAML. */
  static Map<String, Object> readJackson(String yaml) {
    Map<String, Object> fields;
    try {
      fields = YAML.readValue(yaml, MAP);
    } catch (JacksonException e) {
      throw new IllegalArgumentException("front matter is not valid YAML: " + firstLine(e));
    } catch (RuntimeException e) {
      // snakeyaml limits (alias bombs, nesting) surface as unchecked exceptions of its own
      throw new IllegalArgumentException("front matter refused: " + e.getClass().getSimpleName());
    }
    return fields != null ? fields : new LinkedHashMap<>();
  }

  static String render(Map<String, Object> fields, String body) {
    String yaml = FastYamlWriter.write(fields);
    StringBuilder sb = new StringBuilder(256 + body.length());
    sb.append("---\n").append(yaml != null ? yaml : writeJackson(fields));
    return sb.append("---\n").append(body).toString();
  }

  /** What render wrote before the fast path, and still writes for what that does not cover. */
  static String writeJackson(Map<String, Object> fields) {
    return YAML.writeValueAsString(fields);
  }

  private static String firstLine(Exception e) {
    String m = String.valueOf(e.getMessage());
    int nl = m.indexOf('\n');
    return nl < 0 ? m : m.substring(0, nl);
  }
}
