package dev.taskq.hooks;

import java.util.Locale;

/**
 * The Claude Code events taskq answers, as {@code taskq hook <name>} names them. The fast ones run
 * on every prompt and every tool call: the installed launcher answers them in sh without starting a
 * JVM ({@code hooks.sh}), and this JVM only answers them where taskq runs without its launcher.
 */
public enum HookEvent {
  SESSION_START("session-start", "SessionStart", false),
  USER_PROMPT_SUBMIT("user-prompt-submit", "UserPromptSubmit", true),
  PRE_TOOL_USE("pre-tool-use", "PreToolUse", true),
  POST_TOOL_USE("post-tool-use", "PostToolUse", true),
  STOP("stop", "Stop", false),
  STOP_FAILURE("stop-failure", "StopFailure", false);

  private final String wire;
  private final String claudeName;
  private final boolean fast;

  HookEvent(String wire, String claudeName, boolean fast) {
    this.wire = wire;
    this.claudeName = claudeName;
    this.fast = fast;
  }

  /** The name on taskq's command line: {@code taskq hook session-start}. */
  public String wire() {
    return wire;
  }

  /** The event's name in Claude Code's settings: {@code SessionStart}. */
  public String claudeName() {
    return claudeName;
  }

  /** Runs on every prompt or tool call: must cost milliseconds. */
  public boolean fast() {
    return fast;
  }

  /** The event {@code name} names (either spelling), or null for one this taskq does not know. */
  public static HookEvent parse(String name) {
    if (name == null) {
      return null;
    }
    String n = name.strip().toLowerCase(Locale.ROOT).replace("_", "-");
    for (HookEvent e : values()) {
      if (e.wire.equals(n) || e.claudeName.toLowerCase(Locale.ROOT).equals(n)) {
        return e;
      }
    }
    return null;
  }
}
