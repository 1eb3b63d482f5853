package dev.taskq.dashboard;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Opens the dashboard in the person's browser when one is at hand: {@code $BROWSER} if set, else
 * {@code open} on macOS, else {@code xdg-open} on a desktop (DISPLAY or WAYLAND_DISPLAY). Never
 * under CI. As Jupyter does, the browser gets a small local file that redirects to the URL, not the
 * URL itself: a command line is visible to every user of the machine in {@code ps}, the secret must
 * not be. The file lives in the queue's machine-local {@code .taskq/} folder, readable by its owner
 * only, and is deleted when the dashboard stops.
 */
public final class BrowserOpener {
  private final Map<String, String> env;
  private final String os;
  private Path file;

  public BrowserOpener(Map<String, String> env, String osName) {
    this.env = Map.copyOf(env);
    this.os = osName.toLowerCase(Locale.ROOT);
  }

  /**
   * The command that opens a browser, without its final argument (the address), or an empty list
   * when none is at hand.
   */
  List<String> command() {
    if (isSet("CI")) {
      return List.of();
    }
    if (isSet("BROWSER")) {
      // Python's webbrowser convention: a list of commands; "%s" stands for the address.
      String first = env.get("BROWSER").split(File.pathSeparator)[0].trim();
      return first.isEmpty() ? List.of() : List.of(first.split("\\s+"));
    }
    if (os.contains("mac")) {
      return List.of("open");
    }
    if (os.contains("win")) {
      return List.of("rundll32", "url.dll,FileProtocolHandler");
    }
    if ((isSet("DISPLAY") || isSet("WAYLAND_DISPLAY")) && onPath("xdg-open")) {
      return List.of("xdg-open");
    }
    return List.of();
  }

  /**
   * Opens {@code url} through a redirect file in {@code metaDir}; returns why it could not, or null
   * once a browser was asked to open it.
   */
  public String open(URI url, Path metaDir, int port) {
    List<String> cmd = command();
    if (cmd.isEmpty()) {
      return "no browser at hand (set BROWSER to choose one)";
    }
    try {
      Files.createDirectories(metaDir);
      Path f = metaDir.resolve("dashboard-" + port + ".html");
      Files.deleteIfExists(f);
      if (Files.getFileStore(metaDir).supportsFileAttributeView("posix")) {
        Files.createFile(
            f, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      }
      String u = url.toString().replace("&", "&amp;").replace("\"", "&quot;");
      Files.writeString(
          f,
          "<!doctype html><meta charset=\"utf-8\"><title>taskq dashboard</title>\n"
              + "<meta http-equiv=\"refresh\" content=\"0;url="
              + u
              + "\">\n<a href=\""
              + u
              + "\">Open the taskq dashboard</a>\n",
          StandardCharsets.UTF_8);
      file = f;
      List<String> full = new ArrayList<>();
      String target = f.toUri().toString();
      boolean placed = false;
      for (String part : cmd) {
        if (part.contains("%s")) {
          full.add(part.replace("%s", target));
          placed = true;
        } else {
          full.add(part);
        }
      }
      if (!placed) {
        full.add(target);
      }
      Process p =
          new ProcessBuilder(full)
              .redirectOutput(ProcessBuilder.Redirect.DISCARD)
              .redirectError(ProcessBuilder.Redirect.DISCARD)
              .start();
      p.getOutputStream().close();
      return null;
    } catch (IOException | RuntimeException e) {
      return "could not start " + cmd.get(0) + " (" + e.getMessage() + ")";
    }
  }

  /** Deletes the redirect file, if one was written. */
  public void cleanUp() {
    if (file != null) {
      try {
        Files.deleteIfExists(file);
      } catch (IOException e) {
        // it holds a secret that dies with this dashboard anyway
      }
    }
  }

  private boolean isSet(String name) {
    String v = env.get(name);
    return v != null && !v.isBlank();
  }

  private boolean onPath(String program) {
    String path = env.getOrDefault("PATH", "");
    for (String dir : path.split(File.pathSeparator)) {
      if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, program))) {
        return true;
      }
    }
    return false;
  }
}
