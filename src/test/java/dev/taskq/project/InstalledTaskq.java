package dev.taskq.project;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * taskq installed the way a user installs it ({@code taskq install}), into a temp HOME: for tests
 * that run the registered {@code taskq serve}, the CLI as people type it, or hooks and workers that
 * spawn {@code taskq}. Never touches the real HOME.
 *
 * <pre>{@code
 * InstalledTaskq taskq = InstalledTaskq.into(tmp.resolve("home"));       // no archive: fast
 * taskq.run(project, "init");                                             // stdout; exit 0 or fail
 * Process serve = taskq.processBuilder(project.resolve("src"), "serve").start();
 * Map<String, String> env = taskq.env();                                  // HOME, PATH for children
 * }</pre>
 *
 * @param home the temp HOME taskq is installed in
 * @param env what a child needs to find this taskq: HOME and PATH ({@code ~/.local/bin} first)
 */
public record InstalledTaskq(Path home, Map<String, String> env) {
  private static final long TIMEOUT_SECONDS = 180;

  /** Installs the built jar (system property taskq.jar) into {@code home}, without the archive. */
  public static InstalledTaskq into(Path home) throws IOException, InterruptedException {
    return into(home, builtJar(), false);
  }

  /** Installs {@code jar} into {@code home}; {@code archive} also makes the start-up archive. */
  public static InstalledTaskq into(Path home, Path jar, boolean archive)
      throws IOException, InterruptedException {
    InstalledTaskq t = at(home);
    List<String> command = new ArrayList<>(List.of(java(), "-jar", jar.toString(), "install"));
    if (!archive) {
      command.add("--no-archive");
    }
    Result r = t.exec(command, home);
    if (r.code() != 0) {
      throw new IOException("taskq install into " + home + " failed: " + r.out() + r.err());
    }
    return t;
  }

  /** The environment of a user whose HOME is {@code home}, without installing anything. */
  public static InstalledTaskq at(Path home) throws IOException {
    Files.createDirectories(home);
    Map<String, String> env = new LinkedHashMap<>();
    env.put("HOME", home.toString());
    env.put("PATH", home.resolve(".local/bin") + File.pathSeparator + pathWithoutTaskq());
    return new InstalledTaskq(home, Map.copyOf(env));
  }

  /** {@code ~/.local/bin/taskq}. */
  public Path command() {
    return home.resolve(".local/bin/taskq");
  }

  /**
   * A process for {@code args}, the first resolved on this user's PATH as a shell or Claude Code
   * would (Java's ProcessBuilder would search the test JVM's PATH instead). The child's environment
   * is this user's: inherited TASKQ_*, CLAUDE* and XDG_* variables are removed.
   */
  public ProcessBuilder processBuilder(Path cwd, List<String> args, Map<String, String> extraEnv) {
    List<String> command = resolve(args, env);
    ProcessBuilder pb = new ProcessBuilder(command).directory(cwd.toFile());
    pb.environment()
        .keySet()
        .removeIf(k -> k.startsWith("TASKQ_") || k.startsWith("CLAUDE") || k.startsWith("XDG_"));
    pb.environment().putAll(env);
    pb.environment().putAll(extraEnv);
    return pb;
  }

  /** {@code taskq args...} in {@code cwd}. */
  public ProcessBuilder processBuilder(Path cwd, String... args) {
    List<String> command = new ArrayList<>(List.of("taskq"));
    command.addAll(Arrays.asList(args));
    return processBuilder(cwd, command, Map.of());
  }

  /** What a finished command printed and returned. */
  public record Result(int code, String out, String err) {}

  /** Runs {@code taskq args...} in {@code cwd} to the end. */
  public Result result(Path cwd, String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of("taskq"));
    command.addAll(Arrays.asList(args));
    return exec(command, cwd);
  }

  /** Runs {@code taskq args...} in {@code cwd}; fails unless it exits 0; returns stdout. */
  public String run(Path cwd, String... args) throws IOException, InterruptedException {
    Result r = result(cwd, args);
    if (r.code() != 0) {
      throw new AssertionError(
          "taskq " + String.join(" ", args) + " exited " + r.code() + ": " + r.err() + r.out());
    }
    return r.out();
  }

  private Result exec(List<String> command, Path cwd) throws IOException, InterruptedException {
    Path err = Files.createTempFile("taskq-test", ".err");
    try {
      Process p =
          processBuilder(cwd, command, Map.of())
              .redirectError(err.toFile())
              .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
              .start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
        throw new AssertionError(
            String.join(" ", command) + " did not end in " + TIMEOUT_SECONDS + " s");
      }
      return new Result(p.exitValue(), out, Files.readString(err, StandardCharsets.UTF_8));
    } finally {
      Files.deleteIfExists(err);
    }
  }

  /** {@code command} with its program looked up on {@code env}'s PATH when it has no slash. */
  public static List<String> resolve(List<String> command, Map<String, String> env) {
    String program = command.get(0);
    if (program.contains("/")) {
      return command;
    }
    Path found = CommandPath.find(program, env);
    if (found == null) {
      throw new AssertionError(program + " is not on PATH " + env.get("PATH"));
    }
    List<String> out = new ArrayList<>(command);
    out.set(0, found.toString());
    return out;
  }

  /** The jar Maven built (system property taskq.jar). */
  public static Path builtJar() {
    String p = System.getProperty("taskq.jar");
    if (p == null || !Files.isRegularFile(Path.of(p))) {
      throw new IllegalStateException(
          "system property taskq.jar must name the built jar (run with mvn verify): " + p);
    }
    return Path.of(p).toAbsolutePath();
  }

  public static String java() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  /** A copy of {@code jar} at {@code out} that reports {@code version}: a newer or older build. */
  public static Path withVersion(Path jar, String version, Path out) throws IOException {
    Files.createDirectories(out.toAbsolutePath().getParent());
    Files.copy(jar, out, StandardCopyOption.REPLACE_EXISTING);
    try (FileSystem zip = FileSystems.newFileSystem(URI.create("jar:" + out.toUri()), Map.of())) {
      Files.writeString(zip.getPath("dev/taskq/version.txt"), version + "\n");
    }
    return out;
  }

  /** Deletes {@code root} and everything in it (a moved clone, a scratch folder). */
  public static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    try (var all = Files.walk(root)) {
      for (Path p : all.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }

  /** The test JVM's PATH without folders that hold a taskq: only the one installed here counts. */
  private static String pathWithoutTaskq() {
    String path = System.getenv().getOrDefault("PATH", "/usr/bin:/bin");
    List<String> keep = new ArrayList<>();
    for (String dir : path.split(File.pathSeparator)) {
      if (!dir.isEmpty() && !Files.exists(Path.of(dir, "taskq"))) {
        keep.add(dir);
      }
    }
    return String.join(File.pathSeparator, keep);
  }
}
