package dev.taskq.project;

import java.nio.file.Path;
import java.util.List;

/**
 * The JVM flags the launcher starts taskq with, measured in bench/run for a short-lived stdio
 * server (README, Performance): C1 only (a session's calls are few and wait on fsync, so C2's later
 * speed-up buys little), the serial collector with a small first heap (no GC threads to start; RSS
 * near 65 MB instead of 100 MB), no hsperfdata file in /tmp (nothing written outside the queue),
 * and JVM messages (such as a stale archive) to stderr, never to stdout, which carries JSON-RPC.
 * The class-data archive comes on top, from {@link #archive}.
 */
public final class ServerFlags {
  public static final String ARCHIVE_FLAG = "-XX:SharedArchiveFile=";

  public static final List<String> FLAGS =
      List.of(
          "-XX:TieredStopAtLevel=1",
          "-XX:+UseSerialGC",
          "-Xms16m",
          "-XX:-UsePerfData",
          "-Xlog:disable",
          "-Xlog:all=warning:stderr");

  private ServerFlags() {}

  public static String archive(Path archive) {
    return ARCHIVE_FLAG + archive;
  }
}
