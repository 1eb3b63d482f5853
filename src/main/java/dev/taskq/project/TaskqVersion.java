package dev.taskq.project;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * This build's version, stamped into the jar by Maven from the pom (the one place it is written):
 * {@code taskq --version}, the MCP serverInfo, and the folder and launcher {@code taskq install}
 * writes all read it here.
 */
public final class TaskqVersion {
  private static final String RESOURCE = "/dev/taskq/version.txt";
  private static volatile String cached;

  private TaskqVersion() {}

  /** E.g. "0.2.0"; "development build" when the resource was not stamped. */
  public static String current() {
    String v = cached;
    if (v == null) {
      v = read();
      cached = v;
    }
    return v;
  }

  private static String read() {
    try (InputStream in = TaskqVersion.class.getResourceAsStream(RESOURCE)) {
      if (in != null) {
        String v = new String(in.readAllBytes(), StandardCharsets.UTF_8).strip();
        if (!v.isEmpty() && !v.startsWith("${")) {
          return v;
        }
      }
    } catch (IOException e) {
      // fall through: the version is only informative
    }
    return "development build";
  }
}
