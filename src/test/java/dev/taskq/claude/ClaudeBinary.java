package dev.taskq.claude;

import static org.junit.jupiter.api.Assumptions.abort;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The real Claude Code binary for tests: {@code TASKQ_CLAUDE} when set, else the one {@code npm ci}
 * installs from interop/package-lock.json ({@code interop/node_modules/.bin/claude}).
 */
public final class ClaudeBinary {
  /** The version interop/package-lock.json pins; the facts in the tests were observed on it. */
  public static final String PINNED = "2.1.328";

  private static volatile Path found;

  private ClaudeBinary() {}

  /**
   * The binary, checked to run ({@code claude --version}). When it is missing: under CI (the {@code
   * CI} variable set, as .ci/run's environment has it) the test fails, because .ci/run installs it;
   * elsewhere the test is aborted (reported as skipped) with a loud line on stderr saying how to
   * install it.
   */
  public static Path require() {
    Path p = found;
    if (p == null) {
      p = require(System.getenv(), Path.of("interop", "node_modules", ".bin", "claude"));
      found = p;
    }
    return p;
  }

  /** {@link #require()} with the environment and the default place given (for its own test). */
  static Path require(Map<String, String> env, Path installed) {
    String configured = env.get("TASKQ_CLAUDE");
    boolean isConfigured = configured != null && !configured.isBlank();
    Path candidate = isConfigured ? Path.of(configured) : installed.toAbsolutePath();
    String problem = problem(candidate);
    if (problem == null) {
      return candidate;
    }
    if (!isConfigured) {
      // npm copies the native binary over bin/claude.exe in a postinstall script; an npm that
      // does not run install scripts leaves a stub there, but the platform package is installed.
      Path nativeBinary =
          candidate
              .getParent()
              .resolveSibling("@anthropic-ai")
              .resolve(platformPackage())
              .resolve("claude");
      if (problem(nativeBinary) == null) {
        return nativeBinary;
      }
    }
    String message =
        "the real claude binary is needed: "
            + problem
            + " (run `cd interop && npm ci`, as bash .ci/run does, or set TASKQ_CLAUDE)";
    if (isConfigured || env.get("CI") != null) {
      throw new AssertionError(message);
    }
    System.err.println("\n!!!!! SKIPPED: " + message + " !!!!!\n");
    return abort(message);
  }

  /** The optional dependency that carries the native binary for this machine. */
  private static String platformPackage() {
    String arch = System.getProperty("os.arch").contains("aarch64") ? "arm64" : "x64";
    String os = System.getProperty("os.name").toLowerCase().startsWith("mac") ? "darwin" : "linux";
    return "claude-code-" + os + "-" + arch;
  }

  private static String problem(Path candidate) {
    if (!Files.isExecutable(candidate)) {
      return candidate + " is missing or not executable";
    }
    try {
      Process p =
          new ProcessBuilder(candidate.toString(), "--version").redirectErrorStream(true).start();
      p.getOutputStream().close();
      if (!p.waitFor(60, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        return candidate + " --version did not answer in 60 s";
      }
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
      if (p.exitValue() != 0 || !out.contains("Claude Code")) {
        return candidate + " --version answered " + p.exitValue() + ": " + out;
      }
      return null;
    } catch (IOException e) {
      return candidate + " does not run: " + e.getMessage();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "interrupted";
    }
  }
}
