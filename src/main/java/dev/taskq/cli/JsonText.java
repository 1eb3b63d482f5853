package dev.taskq.cli;

import dev.taskq.core.TaskqException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.BiFunction;
import tools.jackson.core.JacksonException;
import tools.jackson.core.util.DefaultIndenter;
import tools.jackson.core.util.DefaultPrettyPrinter;
import tools.jackson.core.util.Separators;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * JSON as people and Claude Code write it: two-space indent, {@code "key": value}, one array item a
 * line. Jackson's default printer writes {@code "key" : value}, which would reformat every line of
 * a user's .mcp.json on the first merge.
 */
final class JsonText {
  static final JsonMapper MAPPER = JsonMapper.builder().build();

  private static final DefaultPrettyPrinter PRINTER =
      new DefaultPrettyPrinter(
              Separators.createDefaultInstance()
                  .withObjectNameValueSpacing(Separators.Spacing.AFTER)
                  .withObjectEmptySeparator("")
                  .withArrayEmptySeparator(""))
          .withArrayIndenter(DefaultIndenter.SYSTEM_LINEFEED_INSTANCE.withLinefeed("\n"))
          .withObjectIndenter(DefaultIndenter.SYSTEM_LINEFEED_INSTANCE.withLinefeed("\n"));

  private JsonText() {}

  static String pretty(JsonNode node) {
    return MAPPER.writer().with(PRINTER).writeValueAsString(node) + "\n";
  }

  /**
   * A config file's JSON object (an empty file reads as {@code {}}); else {@code refuse(file,
   * problem)}, where the problem names the line and column and shows the expected {@code shape}.
   */
  static ObjectNode readObject(
      Path file, String shape, BiFunction<Path, String, TaskqException> refuse) {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw refuse.apply(file, "cannot be read (" + e.getMessage() + ")");
    }
    if (text.isBlank()) {
      return MAPPER.createObjectNode();
    }
    JsonNode node;
    try {
      node = MAPPER.readTree(text);
    } catch (JacksonException e) {
      String where =
          e.getLocation() == null
              ? ""
              : " at line "
                  + e.getLocation().getLineNr()
                  + ", column "
                  + e.getLocation().getColumnNr();
      throw refuse.apply(
          file, "is not valid JSON" + where + ": " + firstLine(e.getOriginalMessage()));
    }
    if (node == null || !node.isObject()) {
      throw refuse.apply(file, "is valid JSON but not an object like " + shape);
    }
    return (ObjectNode) node;
  }

  private static String firstLine(String s) {
    if (s == null) {
      return "parse error";
    }
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }
}
