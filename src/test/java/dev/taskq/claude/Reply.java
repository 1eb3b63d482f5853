package dev.taskq.claude;

import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * One assistant message the scripted model sends: text and tool_use blocks. The stop reason follows
 * from the blocks (tool_use when any block calls a tool), as it does for the real API.
 */
public record Reply(List<Block> blocks) {

  /** A content block of the reply. */
  public sealed interface Block permits Text, ToolUse {}

  /** A text block. */
  public record Text(String text) implements Block {}

  /** A tool call; {@code input} is serialised as the tool's JSON arguments. */
  public record ToolUse(String id, String name, Map<String, Object> input) implements Block {}

  public Reply {
    blocks = List.copyOf(blocks);
    if (blocks.isEmpty()) {
      throw new IllegalArgumentException("a reply needs at least one block");
    }
  }

  public static Reply text(String text) {
    return new Reply(List.of(new Text(text)));
  }

  /** A reply that calls one tool; the id is unique so Claude Code can pair it with its result. */
  public static Reply tool(String name, Map<String, Object> input) {
    return new Reply(List.of(toolUse(name, input)));
  }

  public static ToolUse toolUse(String name, Map<String, Object> input) {
    return new ToolUse("toolu_" + UUID.randomUUID().toString().replace("-", ""), name, input);
  }

  public static Reply of(Block... blocks) {
    return new Reply(List.of(blocks));
  }

  public String stopReason() {
    return blocks.stream().anyMatch(b -> b instanceof ToolUse) ? "tool_use" : "end_turn";
  }
}
