package dev.taskq.cli;

import dev.taskq.core.QueuePage;
import dev.taskq.core.QueueQuery;
import dev.taskq.core.TaskState;
import dev.taskq.core.TaskqException;
import dev.taskq.store.DatabaseUrl;
import dev.taskq.store.StoreConfig;
import dev.taskq.store.StoreFactory;
import dev.taskq.store.TaskStore;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.stream.Stream;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code taskq init --database-url URL}: the queue in PostgreSQL. Decided and checked before init
 * writes anything: the URL parses, the database answers, taskq's schema is created or migrated and
 * the queue is registered. What init then writes holds no secret: {@code tasks/queue.json} (the
 * store, the queue's name, the schema; committed with the project) and the .mcp.json entry that
 * passes {@code TASKQ_DATABASE_URL} on from each machine's own environment.
 *
 * @param url the database, or null when only the settings file names it and this machine has no
 *     TASKQ_DATABASE_URL (then nothing is checked and init says so)
 * @param given true when the URL came from --database-url (not from the environment)
 */
record DatabaseInit(DatabaseUrl url, boolean given, String queue, String schema) {

  /**
   * The database choice for {@code queueDir}, or null for a file queue: --database-url, else a
   * settings file that already says postgresql (with TASKQ_DATABASE_URL from the environment when
   * set). --queue and --schema override the settings file, which overrides the defaults.
   */
  static DatabaseInit choose(
      CliContext ctx, Path queueDir, String urlOption, String queueOption, String schemaOption) {
    JsonNode settings = readSettings(queueDir);
    boolean configured =
        settings != null && "postgresql".equals(settings.path("store").asString(""));
    if (urlOption == null && !configured) {
      if (queueOption != null || schemaOption != null) {
        throw TaskqException.invalid(
            queueOption != null ? "--queue" : "--schema",
            "names a PostgreSQL queue; give --database-url URL too");
      }
      return null;
    }
    DatabaseUrl url = null;
    if (urlOption != null) {
      url = DatabaseUrl.parse("--database-url", urlOption);
    } else {
      String env = ctx.env().get(StoreConfig.URL_VARIABLE);
      if (env != null && !env.isBlank()) {
        url = DatabaseUrl.parse(StoreConfig.URL_VARIABLE, env);
      }
    }
    String queue =
        firstOf(
            queueOption,
            settings == null ? null : settings.path("queue").asString(null),
            StoreConfig.defaultQueueName(queueDir));
    String schema =
        firstOf(
            schemaOption,
            settings == null ? null : settings.path("schema").asString(null),
            StoreConfig.DEFAULT_SCHEMA);
    StoreConfig.checkName(queueOption != null ? "--queue" : "queue", queue, 40);
    StoreConfig.checkName(schemaOption != null ? "--schema" : "schema", schema, 40);
    return new DatabaseInit(url, urlOption != null, queue, schema);
  }

  /**
   * Connects, migrates the schema and reads the queue's counts; the line to report. Throws the
   * store's error (unreachable, login refused, …) before init has written anything.
   */
  String check(Path queueDir) {
    if (url == null) {
      return "not checked from here: "
          + StoreConfig.URL_VARIABLE
          + " is not set on this machine (see below)";
    }
    StoreConfig config =
        new StoreConfig(queueDir, StoreConfig.DEFAULT_LEASE, Clock.systemUTC())
            .withDatabase(url, queue, schema);
    try (TaskStore store = StoreFactory.open(config)) {
      QueuePage p = store.list(QueueQuery.firstPage(1));
      int total = 0;
      for (TaskState s : TaskState.values()) {
        total += p.count(s);
      }
      return store.describe() + ": reachable, schema ready, " + total + " task(s) in the queue";
    }
  }

  /** The settings file's text: no URL, no password. */
  String settingsText() {
    ObjectNode o = JsonText.MAPPER.createObjectNode();
    o.put("store", "postgresql");
    o.put("queue", queue);
    o.put("schema", schema);
    return JsonText.pretty(o);
  }

  /** Task files a file queue left in {@code queueDir} (they stay; import moves them). */
  static int taskFiles(Path queueDir) {
    int n = 0;
    for (TaskState s : TaskState.values()) {
      Path dir = queueDir.resolve(s.folder());
      if (!Files.isDirectory(dir)) {
        continue;
      }
      try (Stream<Path> files = Files.list(dir)) {
        n += (int) files.filter(f -> f.getFileName().toString().endsWith(".md")).count();
      } catch (IOException e) {
        // counted as none: only a hint
      }
    }
    return n;
  }

  /** What to do on every machine, with the exact commands; the password is never repeated. */
  void printNextSteps(PrintWriter out, String shownDir) {
    String shown =
        url == null ? "postgresql://USER@HOST:5432/DATABASE" : withoutPassword(url.redacted());
    out.println();
    out.println(
        "The queue is in PostgreSQL. On every machine that works on it, set the URL in the");
    out.println("environment Claude Code and taskq start in (never in a file under git):");
    out.println("  export " + StoreConfig.URL_VARIABLE + "='" + shown + "'");
    out.println("and keep the password in ~/.pgpass (chmod 600; or a file named by PGPASSFILE):");
    out.println("  HOST:PORT:DATABASE:USER:PASSWORD");
    if (url != null && url.hasPassword() && given) {
      out.println(
          "(taskq wrote the password you gave nowhere; "
              + shownDir
              + "/"
              + StoreConfig.SETTINGS_FILE
              + " and .mcp.json hold none.)");
    }
  }

  private static String withoutPassword(String redacted) {
    return redacted.replace(":***@", "@");
  }

  private static JsonNode readSettings(Path queueDir) {
    Path f = queueDir.resolve(StoreConfig.SETTINGS_FILE);
    if (!Files.isRegularFile(f)) {
      return null;
    }
    try {
      return JsonText.MAPPER.readTree(Files.readString(f));
    } catch (IOException | RuntimeException e) {
      throw TaskqException.invalid(
          "queue.json", f + " cannot be read as JSON (" + e.getMessage() + "); fix or delete it");
    }
  }

  private static String firstOf(String... values) {
    for (String v : values) {
      if (v != null && !v.isBlank()) {
        return v.strip();
      }
    }
    return null;
  }
}
