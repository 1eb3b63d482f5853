package dev.taskq.claude;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Starts the real {@code claude -p "<prompt>" --output-format stream-json --verbose} with the
 * scripted model's environment. The inherited environment loses every CLAUDE*, ANTHROPIC* and
 * TASKQ_* variable first (a test run inside a Claude Code session must not leak that session into
 * the child), then gets {@code env}.
 *
 * <pre>{@code
 * ClaudeRun run = new ClaudeRunner(ClaudeBinary.require(), model.clientEnv(home))
 *     .cwd(project).mcpConfig(config).allowedTools("mcp__taskq__*").start("Work the queue");
 * }</pre>
 */
public final class ClaudeRunner {
  private final Path binary;
  private final Map<String, String> env = new LinkedHashMap<>();
  private final List<String> extra = new ArrayList<>();
  private Path cwd = Path.of(".");
  private Path mcpConfig;
  private boolean strictMcpConfig = true;
  private String allowedTools;
  private String permissionMode;
  private Path logDir;
  private boolean streamInput;

  public ClaudeRunner(Path binary, Map<String, String> env) {
    this.binary = binary;
    this.env.putAll(env);
  }

  public ClaudeRunner cwd(Path cwd) {
    this.cwd = cwd;
    return this;
  }

  /** {@code --mcp-config FILE --strict-mcp-config} (only this file's servers). */
  public ClaudeRunner mcpConfig(Path file) {
    this.mcpConfig = file;
    return this;
  }

  /** Also load the project's .mcp.json and the user's servers (no --strict-mcp-config). */
  public ClaudeRunner notStrict() {
    this.strictMcpConfig = false;
    return this;
  }

  public ClaudeRunner allowedTools(String... tools) {
    this.allowedTools = String.join(",", tools);
    return this;
  }

  public ClaudeRunner permissionMode(String mode) {
    this.permissionMode = mode;
    return this;
  }

  public ClaudeRunner env(String name, String value) {
    env.put(name, value);
    return this;
  }

  /** More arguments after the usual ones, e.g. {@code "--resume", id} or {@code "--max-turns"}. */
  public ClaudeRunner args(String... args) {
    extra.addAll(List.of(args));
    return this;
  }

  /**
   * {@code --input-format stream-json}: the prompts come on stdin, one {@link ClaudeRun#send} each,
   * all in one session process (as a person's turns in an interactive session), until {@link
   * ClaudeRun#endInput}. The prompt given to {@link #start} is the first.
   */
  public ClaudeRunner streamInput() {
    this.streamInput = true;
    return this;
  }

  /** Where the stream (stream.jsonl) and stderr (stderr.txt) go; default a new temp folder. */
  public ClaudeRunner logDir(Path dir) {
    this.logDir = dir;
    return this;
  }

  public List<String> command(String prompt) {
    List<String> c = new ArrayList<>();
    c.add(binary.toString());
    c.add("-p");
    if (streamInput) {
      c.add("--input-format");
      c.add("stream-json");
    } else {
      c.add(prompt);
    }
    c.add("--output-format");
    c.add("stream-json");
    c.add("--verbose");
    if (mcpConfig != null) {
      c.add("--mcp-config");
      c.add(mcpConfig.toAbsolutePath().toString());
      if (strictMcpConfig) {
        c.add("--strict-mcp-config");
      }
    }
    if (allowedTools != null) {
      c.add("--allowedTools");
      c.add(allowedTools);
    }
    if (permissionMode != null) {
      c.add("--permission-mode");
      c.add(permissionMode);
    }
    c.addAll(extra);
    return c;
  }

  public ClaudeRun start(String prompt) throws IOException {
    Path logs = logDir != null ? logDir : Files.createTempDirectory("claude-run");
    Files.createDirectories(logs);
    ProcessBuilder pb = new ProcessBuilder(command(prompt)).directory(cwd.toFile());
    pb.environment()
        .keySet()
        .removeIf(
            k -> k.startsWith("CLAUDE") || k.startsWith("ANTHROPIC") || k.startsWith("TASKQ_"));
    pb.environment().putAll(env);
    pb.redirectError(logs.resolve("stderr.txt").toFile());
    ClaudeRun run = new ClaudeRun(pb.start(), logs, streamInput);
    if (streamInput) {
      run.send(prompt);
    }
    return run;
  }
}
