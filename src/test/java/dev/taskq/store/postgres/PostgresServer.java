package dev.taskq.store.postgres;

import static org.junit.jupiter.api.Assumptions.abort;

import dev.taskq.store.DatabaseUrl;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipal;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * A real PostgreSQL server for tests, started from the installed binaries (Debian's {@code
 * postgresql-15}, or {@code TASKQ_PG_BIN}) in a temporary folder on a free port, listening on
 * 127.0.0.1 only, with password logins. PostgreSQL refuses to run as root, so when the tests run as
 * root the server runs as the {@code postgres} system user (the Debian package creates it).
 *
 * <p>{@link #shared()} is one server per test JVM, stopped when the JVM exits; tests that stop,
 * restart or crash the server start their own with {@link #start()} and close it.
 *
 * <p>Tuned for tests: {@code fsync=off} (a clean stop still writes everything; no test crashes the
 * machine). The benchmark starts its own with the defaults.
 *
 * <p>Missing binaries: under CI (the {@code CI} variable, as .ci/run has it) a test fails, since
 * .ci/run installs them; elsewhere it is skipped with a loud line saying what to install.
 */
public final class PostgresServer implements AutoCloseable {
  public static final String ADMIN = "taskq_admin";
  public static final String APP = "taskq_app";

  private static PostgresServer shared;
  private static final AtomicInteger DATABASES = new AtomicInteger();

  private final Path bin;
  private final Path root;
  private final Path data;
  private final boolean asPostgresUser;
  private final String adminPassword = "admin-" + Long.toHexString(System.nanoTime());
  private final String appPassword = "app;'\"pw-" + Long.toHexString(System.nanoTime()) + "@:/?";
  private final List<String> extraSettings;
  private int port;
  private boolean running;

  private PostgresServer(Path bin, List<String> extraSettings) throws IOException {
    this.bin = bin;
    this.extraSettings = extraSettings;
    this.asPostgresUser = "root".equals(System.getProperty("user.name"));
    this.root = Files.createTempDirectory("taskq-pg-");
    this.data = root.resolve("data");
    Files.writeString(root.resolve("owner"), ProcessHandle.current().pid() + "\n");
    if (asPostgresUser) {
      UserPrincipal pg =
          root.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("postgres");
      Files.setOwner(root, pg);
    }
  }

  /** The server every test of this JVM may share (one database each). */
  public static synchronized PostgresServer shared() {
    if (shared == null) {
      PostgresServer s = start();
      Runtime.getRuntime().addShutdownHook(new Thread(s::close, "stop test postgres"));
      shared = s;
    }
    return shared;
  }

  /** A server of its own (for tests that stop or crash it); close it. */
  public static PostgresServer start() {
    return start(List.of());
  }

  /** A server with extra {@code name=value} settings. */
  public static PostgresServer start(List<String> settings) {
    Path bin = binaries();
    reapOrphans(bin);
    try {
      PostgresServer s = new PostgresServer(bin, settings);
      s.init();
      s.startServer();
      s.setUpRoles();
      return s;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Stops and removes the servers of test JVMs that died without their shutdown hook (killed with
   * SIGKILL, say): each server's folder names the JVM that started it ({@code owner}), and a server
   * whose owner is gone is this fixture's leftover, never another program's.
   */
  private static void reapOrphans(Path bin) {
    Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
    try (Stream<Path> dirs = Files.list(tmp)) {
      for (Path d : dirs.filter(p -> p.getFileName().toString().startsWith("taskq-pg-")).toList()) {
        Path owner = d.resolve("owner");
        long pid;
        try {
          pid = Long.parseLong(Files.readString(owner).strip());
        } catch (IOException | NumberFormatException e) {
          continue; // being set up right now, or not ours
        }
        if (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
          continue;
        }
        List<String> stop =
            new ArrayList<>(
                List.of(
                    bin.resolve("pg_ctl").toString(),
                    "-D",
                    d.resolve("data").toString(),
                    "-m",
                    "immediate",
                    "stop"));
        if ("root".equals(System.getProperty("user.name"))) {
          stop.addAll(0, List.of("runuser", "-u", "postgres", "--"));
        }
        try {
          new ProcessBuilder(stop)
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.DISCARD)
              .start()
              .waitFor(30, TimeUnit.SECONDS);
          try (Stream<Path> all = Files.walk(d)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
              Files.deleteIfExists(p);
            }
          }
        } catch (IOException e) {
          // a leftover stays a leftover; the next start tries again
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    } catch (IOException e) {
      // no temp folder listing: nothing to reap
    }
  }

  /** Where the binaries are, or the test is skipped (failed under CI) saying how to get them. */
  public static Path binaries() {
    String configured = System.getenv("TASKQ_PG_BIN");
    Path found = null;
    if (configured != null && !configured.isBlank()) {
      found = Path.of(configured);
    } else {
      Path base = Path.of("/usr/lib/postgresql");
      if (Files.isDirectory(base)) {
        try (Stream<Path> versions = Files.list(base)) {
          found =
              versions
                  .map(v -> v.resolve("bin"))
                  .filter(b -> Files.isExecutable(b.resolve("initdb")))
                  .max(Comparator.comparingInt(PostgresServer::major))
                  .orElse(null);
        } catch (IOException e) {
          found = null;
        }
      }
    }
    if (found == null || !Files.isExecutable(found.resolve("pg_ctl"))) {
      String message =
          "PostgreSQL server binaries are needed (initdb, pg_ctl): apt-get install postgresql, as"
              + " bash .ci/run does, or set TASKQ_PG_BIN to their folder";
      if (configured != null || System.getenv("CI") != null) {
        throw new AssertionError(message);
      }
      System.err.println("\n!!!!! SKIPPED: " + message + " !!!!!\n");
      abort(message);
    }
    return found;
  }

  private static int major(Path bin) {
    try {
      return Integer.parseInt(bin.getParent().getFileName().toString());
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  private void init() throws IOException {
    Path pw = root.resolve("pwfile");
    Files.writeString(pw, adminPassword + "\n");
    if (asPostgresUser) {
      Files.setOwner(
          pw,
          root.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("postgres"));
    }
    run(
        60,
        bin.resolve("initdb").toString(),
        "-D",
        data.toString(),
        "-U",
        ADMIN,
        "--pwfile=" + pw,
        "--auth-local=trust",
        "--auth-host=scram-sha-256",
        "-E",
        "UTF8",
        "--no-locale",
        "--no-sync");
    Files.delete(pw);
  }

  private void startServer() throws IOException {
    IOException last = null;
    for (int tries = 0; tries < 5; tries++) {
      if (port == 0 || tries > 0) {
        port = freePort();
      }
      try {
        pgCtl("start", 60);
        running = true;
        return;
      } catch (IOException e) {
        last = e;
      }
    }
    throw last;
  }

  private void pgCtl(String what, int seconds, String... more) throws IOException {
    List<String> settings =
        new ArrayList<>(
            List.of(
                "listen_addresses=127.0.0.1",
                "unix_socket_directories=" + root,
                "fsync=off",
                "synchronous_commit=off",
                "full_page_writes=off",
                "max_connections=400",
                "shared_buffers=64MB"));
    settings.addAll(extraSettings);
    StringBuilder o = new StringBuilder("-p " + port);
    for (String s : settings) {
      o.append(" -c ").append(s);
    }
    List<String> cmd =
        new ArrayList<>(
            List.of(
                bin.resolve("pg_ctl").toString(),
                "-D",
                data.toString(),
                "-l",
                root.resolve("server.log").toString(),
                "-w",
                "-t",
                String.valueOf(seconds),
                "-o",
                o.toString()));
    cmd.addAll(List.of(more));
    cmd.add(what);
    run(seconds + 10, cmd.toArray(String[]::new));
  }

  private void setUpRoles() {
    try (Connection c = admin("postgres");
        Statement st = c.createStatement()) {
      st.execute("CREATE ROLE " + APP + " LOGIN PASSWORD '" + appPassword.replace("'", "''") + "'");
    } catch (SQLException e) {
      throw new IllegalStateException("cannot create the test role: " + e.getMessage(), e);
    }
  }

  /** A new empty database owned by the app role; returns its name. */
  public String createDatabase() {
    String name = "taskq_test_" + DATABASES.incrementAndGet();
    try (Connection c = admin("postgres");
        Statement st = c.createStatement()) {
      st.execute("CREATE DATABASE " + name + " OWNER " + APP);
    } catch (SQLException e) {
      throw new IllegalStateException("cannot create database " + name + ": " + e.getMessage(), e);
    }
    return name;
  }

  /** The URL an application uses: the app role, its password in the URL (percent-escaped). */
  public String url(String database) {
    return "postgresql://"
        + APP
        + ":"
        + java.net.URLEncoder.encode(appPassword, StandardCharsets.UTF_8).replace("+", "%20")
        + "@127.0.0.1:"
        + port
        + "/"
        + database;
  }

  public DatabaseUrl databaseUrl(String database) {
    return DatabaseUrl.parse("TASKQ_DATABASE_URL", url(database));
  }

  /** The app role's password: tests check it never shows up where people read. */
  public String appPassword() {
    return appPassword;
  }

  public int port() {
    return port;
  }

  /** A superuser connection (for pg_terminate_backend and looking at the tables). */
  public Connection admin(String database) throws SQLException {
    Properties p = new Properties();
    p.setProperty("user", ADMIN);
    p.setProperty("password", adminPassword);
    p.setProperty("connectTimeout", "10");
    return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/" + database, p);
  }

  /** Stops the server the way an operator does (fast: connections are cut, work is kept). */
  public void stop() {
    if (!running) {
      return;
    }
    try {
      pgCtl("stop", 60, "-m", "fast");
      running = false;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Starts it again on the same port and data. */
  public void restart() {
    try {
      pgCtl("start", 60);
      running = true;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The server's temporary folder (data, socket, logs, the owner file). */
  Path root() {
    return root;
  }

  /** The server's log, for failure messages. */
  public String log() {
    try {
      return Files.readString(root.resolve("server.log"));
    } catch (IOException e) {
      return "(no server log: " + e.getMessage() + ")";
    }
  }

  @Override
  public synchronized void close() {
    try {
      if (running) {
        pgCtl("stop", 30, "-m", "immediate");
        running = false;
      }
    } catch (IOException | RuntimeException e) {
      // best effort; the folder goes anyway
    }
    try (Stream<Path> all = Files.walk(root)) {
      for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      // a temp folder left behind is harmless
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  private void run(int seconds, String... cmd) throws IOException {
    List<String> full = new ArrayList<>();
    if (asPostgresUser) {
      full.addAll(List.of("runuser", "-u", "postgres", "--"));
    }
    full.addAll(List.of(cmd));
    ProcessBuilder pb = new ProcessBuilder(full).redirectErrorStream(true);
    pb.directory(root.toFile());
    pb.redirectOutput(root.resolve("commands.log").toFile());
    Process p = pb.start();
    try {
      if (!p.waitFor(seconds, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IOException(String.join(" ", cmd) + " did not finish in " + seconds + " s");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
    if (p.exitValue() != 0) {
      throw new IOException(
          String.join(" ", cmd)
              + " exited "
              + p.exitValue()
              + ": "
              + Files.readString(root.resolve("commands.log"))
              + "\n"
              + log());
    }
  }
}
