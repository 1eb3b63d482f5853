package dev.taskq.hooks;

import java.util.List;

/**
 * The hooks {@code taskq init} registers in {@code .claude/settings.json}: one command per event,
 * each {@code taskq hook <event> || true}. The {@code || true} keeps a machine where taskq is not
 * installed (or an older taskq that does not know the verb, which would exit 2 and so block a
 * prompt) from getting in the way: the hook then only leaves a line on stderr.
 */
public final class HookSettings {
  /** How a registered command starts: what tells taskq's entries from a user's. */
  public static final String PREFIX = "taskq hook ";

  /** One registered hook. {@code timeout} in seconds, as Claude Code reads it. */
  public record Entry(HookEvent event, String command, int timeout) {}

  private HookSettings() {}

  public static List<Entry> entries() {
    return List.of(
        entry(HookEvent.SESSION_START, 10),
        entry(HookEvent.USER_PROMPT_SUBMIT, 5),
        entry(HookEvent.PRE_TOOL_USE, 5),
        entry(HookEvent.POST_TOOL_USE, 5),
        entry(HookEvent.STOP, 10),
        entry(HookEvent.STOP_FAILURE, 10));
  }

  /** The command for {@code e}. */
  public static String command(HookEvent e) {
    return PREFIX + e.wire() + " || true";
  }

  /** Whether {@code command} is one taskq registered (any version). */
  public static boolean isOurs(String command) {
    return command != null && command.strip().startsWith(PREFIX);
  }

  private static Entry entry(HookEvent e, int timeout) {
    return new Entry(e, command(e), timeout);
  }
}
