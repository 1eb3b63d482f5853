package dev.taskq.cli;

import tools.jackson.core.util.DefaultIndenter;
import tools.jackson.core.util.DefaultPrettyPrinter;
import tools.jackson.core.util.Separators;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

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
}
