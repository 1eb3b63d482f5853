package dev.taskq.project;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code taskq} command {@code taskq install} writes: a POSIX sh script (template {@code
 * launcher.sh} beside this class) with this version's jar, the Java that installed it and that
 * Java's archive written in, so starting a server spawns no subprocess before {@code exec java}.
 *
 * @param version e.g. "0.2.0"
 * @param jar the installed jar
 * @param java the java binary to run it with
 * @param archive the class-data archive for that java and jar (used when it exists)
 */
public record Launcher(String version, Path jar, Path java, Path archive) {
  private static final String TEMPLATE = "launcher.sh";

  /** The fast hooks, written into the launcher (see {@code dev.taskq.hooks.HookEvent#fast}). */
  private static final String HOOKS = "/dev/taskq/hooks/hooks.sh";

  private static final Pattern SETTING =
      Pattern.compile("(?m)^(TASKQ_VERSION|TASKQ_JAR|TASKQ_ARCHIVE|TASKQ_INSTALLED_JAVA)='(.*)'$");

  /** The script text. */
  public String render() {
    String flags = String.join(" ", ServerFlags.FLAGS.stream().map(Launcher::quoted).toList());
    return template()
        .replace("'@VERSION@'", quoted(version))
        .replace("@VERSION@", version)
        .replace("'@JAR@'", quoted(jar.toString()))
        .replace("'@JAVA@'", quoted(java.toString()))
        .replace("'@ARCHIVE@'", quoted(archive.toString()))
        .replace("@FLAGS@", flags)
        .replace("@HOOKS@", resource(HOOKS).stripTrailing());
  }

  /**
   * Reads back what an installed launcher runs, or null when {@code script} is not one taskq wrote
   * (or cannot be read).
   */
  public static Launcher read(Path script) {
    String text;
    try {
      if (!Files.isRegularFile(script) || Files.size(script) > 64 * 1024) {
        return null;
      }
      text = Files.readString(script, StandardCharsets.UTF_8);
    } catch (IOException | RuntimeException e) {
      return null;
    }
    Map<String, String> values = new LinkedHashMap<>();
    Matcher m = SETTING.matcher(text);
    while (m.find()) {
      values.put(m.group(1), m.group(2).replace("'\\''", "'"));
    }
    if (values.size() != 4) {
      return null;
    }
    return new Launcher(
        values.get("TASKQ_VERSION"),
        Path.of(values.get("TASKQ_JAR")),
        Path.of(values.get("TASKQ_INSTALLED_JAVA")),
        Path.of(values.get("TASKQ_ARCHIVE")));
  }

  /** Always single quotes, so the values read back by {@link #read} with one pattern. */
  private static String quoted(String word) {
    return "'" + word.replace("'", "'\\''") + "'";
  }

  private static String template() {
    return resource(TEMPLATE);
  }

  private static String resource(String name) {
    try (InputStream in = Launcher.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException("this build of taskq carries no " + name);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalStateException("cannot read " + name + ": " + e.getMessage(), e);
    }
  }
}
