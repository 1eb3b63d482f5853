package dev.taskq.store.file;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * A task or checkpoint file read back the way a person or another tool would: YAML front matter
 * between two {@code ---} lines, then Markdown. Used to check the files, independent of the store's
 * own parser.
 */
public record FileOnDisk(Map<String, Object> front, String body) {
  private static final YAMLMapper YAML = new YAMLMapper();

  /**
   * Parses the file; throws AssertionError saying what is wrong when it is not a whole task file.
   */
  @SuppressWarnings("unchecked")
  public static FileOnDisk read(Path file) throws IOException {
    String text = Files.readString(file, StandardCharsets.UTF_8);
    if (!text.startsWith("---\n")) {
      throw new AssertionError(file + " does not start with front matter: " + head(text));
    }
    int end = text.indexOf("\n---\n", 3);
    if (end < 0) {
      throw new AssertionError(file + " has no closing --- line: " + head(text));
    }
    Map<String, Object> front = YAML.readValue(text.substring(4, end + 1), Map.class);
    return new FileOnDisk(front, text.substring(end + 5));
  }

  public String string(String key) {
    Object v = front.get(key);
    return v == null ? null : v.toString();
  }

  public long number(String key) {
    Object v = front.get(key);
    if (v == null) {
      throw new AssertionError("front matter has no " + key + ": " + front);
    }
    return Long.parseLong(v.toString());
  }

  private static String head(String text) {
    return text.length() > 200 ? text.substring(0, 200) + "..." : text;
  }
}
