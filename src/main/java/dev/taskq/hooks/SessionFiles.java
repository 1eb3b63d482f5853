package dev.taskq.hooks;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * The small files one Claude Code process's hooks and its taskq server share, in {@code
 * <queue>/.taskq/sessions/<key>/} ({@link SessionKey}). Machine-local, like everything in {@code
 * .taskq/}; the server creates the folder and removes it when it ends, and hooks only write into a
 * folder that exists, so a hook without a server leaves nothing behind.
 *
 * <ul>
 *   <li>{@code activity} — written by the PreToolUse ({@code 1}: a tool is running) and PostToolUse
 *       ({@code 0}) hooks; its time is the session's latest sign of work. The server renews its
 *       claims while it moves.
 *   <li>{@code prompt} — written by the UserPromptSubmit hook: the number of the news it just
 *       printed; its time is the latest prompt.
 *   <li>{@code news} — written by the server: a number, then the lines the next UserPromptSubmit
 *       prints (tasks that finished since the last prompt).
 *   <li>{@code resume} — written by the SessionStart hook: the session id whose interrupted claims
 *       it printed back, for the server to take over.
 *   <li>{@code stop} — written by the Stop hook: the claim state it last asked to save.
 *   <li>{@code server} — written by the server: its pid and session, for people.
 *   <li>{@code claims.json} — written by the server while it holds claims ({@link HeldClaim}): what
 *       Stop and SessionStart after /compact or /clear need, without opening the store.
 * </ul>
 *
 * Every write is small; files the server writes are replaced by rename, so a hook never reads half
 * of one.
 */
public final class SessionFiles {
  public static final String ACTIVITY = "activity";
  public static final String PROMPT = "prompt";
  public static final String NEWS = "news";
  public static final String RESUME = "resume";
  public static final String STOP = "stop";
  public static final String SERVER = "server";
  public static final String CLAIMS = "claims.json";

  /** The folder of all sessions in a queue. */
  public static Path root(Path queueDir) {
    return queueDir.resolve(".taskq").resolve("sessions");
  }

  private final Path dir;

  public SessionFiles(Path dir) {
    this.dir = dir;
  }

  /** The session folder of process {@code key} in {@code queueDir}. */
  public static SessionFiles of(Path queueDir, String key) {
    return new SessionFiles(root(queueDir).resolve(key));
  }

  public Path dir() {
    return dir;
  }

  public boolean exists() {
    return Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS);
  }

  public void create() throws IOException {
    Files.createDirectories(dir);
  }

  /** The file's text, or null when it is missing or unreadable. At most 64 KiB are read. */
  public String read(String name) {
    Path f = dir.resolve(name);
    try {
      if (Files.size(f) > 64 * 1024) {
        return null;
      }
      return Files.readString(f, StandardCharsets.UTF_8);
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  /** When the file was last written, or null when it is missing. */
  public FileTime modified(String name) {
    try {
      return Files.getLastModifiedTime(dir.resolve(name));
    } catch (IOException e) {
      return null;
    }
  }

  /**
   * Writes {@code text} in place, only when the folder exists (what the hooks do: no folder, no
   * server to read it). Returns false when there was no folder.
   */
  public boolean writeIfPresent(String name, String text) {
    if (!exists()) {
      return false;
    }
    try {
      Files.writeString(dir.resolve(name), text, StandardCharsets.UTF_8);
      return true;
    } catch (NoSuchFileException e) {
      return false; // the server removed the folder meanwhile
    } catch (IOException e) {
      return false;
    }
  }

  /** Replaces the file whole (temp file, then rename): what the server writes. */
  public void replace(String name, String text) throws IOException {
    Path tmp = dir.resolve("." + name + ".tmp");
    Files.writeString(tmp, text, StandardCharsets.UTF_8);
    try {
      Files.move(tmp, dir.resolve(name), StandardCopyOption.ATOMIC_MOVE);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(tmp, dir.resolve(name), StandardCopyOption.REPLACE_EXISTING);
    }
  }

  public void delete(String name) {
    try {
      Files.deleteIfExists(dir.resolve(name));
    } catch (IOException e) {
      // a leftover file is harmless: the next write replaces it
    }
  }

  /** Removes the folder and its files. */
  public void deleteAll() {
    deleteTree(dir);
  }

  /**
   * Removes the folders of Claude Code processes that no longer run (a server killed with SIGKILL
   * cannot clean up after itself), except those whose server held claims until it died, for {@code
   * keep} after its last change: a resumed session finds them there ({@link #crashed}). Returns how
   * many were removed.
   */
  public static int sweep(Path queueDir, java.time.Duration keep, java.time.Instant now) {
    int n = 0;
    for (Path d : dead(queueDir)) {
      FileTime claims = new SessionFiles(d).modified(CLAIMS);
      if (claims == null || claims.toInstant().plus(keep).isBefore(now)) {
        deleteTree(d);
        n++;
      }
    }
    return n;
  }

  /**
   * The session folders of Claude Code processes that died holding claims: what a resumed session
   * held before it was interrupted, without opening the store.
   */
  public static List<SessionFiles> crashed(Path queueDir) {
    return dead(queueDir).stream()
        .map(SessionFiles::new)
        .filter(f -> f.modified(CLAIMS) != null)
        .toList();
  }

  private static List<Path> dead(Path queueDir) {
    Path root = root(queueDir);
    if (!Files.isDirectory(root)) {
      return List.of();
    }
    List<Path> out = new java.util.ArrayList<>();
    try (DirectoryStream<Path> dirs = Files.newDirectoryStream(root)) {
      for (Path d : dirs) {
        String key = d.getFileName().toString();
        if (key.matches("[0-9]+(-[0-9]+)?") && !SessionKey.alive(key)) {
          out.add(d);
        }
      }
    } catch (IOException | RuntimeException e) {
      // best effort: a stale folder costs a few bytes
    }
    return out;
  }

  private static void deleteTree(Path d) {
    try (Stream<Path> all = Files.walk(d)) {
      List<Path> paths = all.sorted(Comparator.reverseOrder()).toList();
      for (Path p : paths) {
        Files.deleteIfExists(p);
      }
    } catch (IOException | RuntimeException e) {
      // best effort
    }
  }
}
