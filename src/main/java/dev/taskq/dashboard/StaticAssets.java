package dev.taskq.dashboard;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Map;

/**
 * The page: plain HTML, CSS and JavaScript shipped in the jar and read once at start. No build step
 * and nothing from a CDN, so it works offline and what runs is what the repository holds.
 */
final class StaticAssets {
  /** The files, by the name the page asks for. */
  static final Map<String, String> TYPES =
      Map.of(
          "index.html", "text/html; charset=utf-8",
          "app.css", "text/css; charset=utf-8",
          "app.js", "text/javascript; charset=utf-8",
          "markdown.js", "text/javascript; charset=utf-8",
          "favicon.svg", "image/svg+xml");

  private final Map<String, byte[]> files = new HashMap<>();

  StaticAssets() {
    for (String name : TYPES.keySet()) {
      try (InputStream in = StaticAssets.class.getResourceAsStream(name)) {
        if (in == null) {
          throw new IllegalStateException("the jar lacks dev/taskq/dashboard/" + name);
        }
        files.put(name, in.readAllBytes());
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  /** The file's bytes, or null when there is no such file. */
  byte[] get(String name) {
    return files.get(name);
  }

  String type(String name) {
    return TYPES.get(name);
  }
}
