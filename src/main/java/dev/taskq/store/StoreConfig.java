package dev.taskq.store;

import dev.taskq.core.ErrorCode;
import dev.taskq.core.TaskqException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Where the queue lives, how long leases last, and how long a claim may go without progress.
 *
 * @param dir the project's queue folder, {@code tasks/}: the file store keeps the tasks there; with
 *     PostgreSQL it holds only machine-local state ({@code .taskq/}) and the settings file {@link
 *     #SETTINGS_FILE}
 * @param lease how long a claim lasts without a sign of life from its holder (a checkpoint, a log
 *     line, a heartbeat)
 * @param database the PostgreSQL database to keep the queue in, or null for the file store
 * @param queue the queue's name inside the database (several queues share one database)
 * @param schema the database schema taskq keeps its tables in
 * @param progressDeadline how long a claim lasts without a checkpoint, whatever the signs of life:
 *     heartbeats never move a lease past its latest checkpoint (or the claim) plus this
 */
public record StoreConfig(
    Path dir,
    Duration lease,
    Clock clock,
    DatabaseUrl database,
    String queue,
    String schema,
    Duration progressDeadline) {
  /**
   * Five minutes: a session's taskq server renews its claims while the session shows signs of life
   * (see {@code dev.taskq.hooks}), so the lease only has to outlast the longest quiet stretch of a
   * working session, one model turn, and a session that died on another machine is noticed in
   * minutes.
   */
  public static final Duration DEFAULT_LEASE = Duration.ofMinutes(5);

  /** 45 minutes without a checkpoint ends a claim however busy its session looks. */
  public static final Duration DEFAULT_PROGRESS_DEADLINE = Duration.ofMinutes(45);

  public static final String DEFAULT_SCHEMA = "taskq";

  /**
   * The project's store settings, committed with the project (no secret in it): {@code {"store":
   * "postgresql", "queue": "shop", "schema": "taskq"}}. {@code taskq init --database-url} writes
   * it. With it, a machine without {@code TASKQ_DATABASE_URL} gets an error instead of a file
   * queue.
   */
  public static final String SETTINGS_FILE = "queue.json";

  public static final String URL_VARIABLE = "TASKQ_DATABASE_URL";

  public StoreConfig {
    dir = dir.toAbsolutePath().normalize();
    if (lease.isNegative() || lease.isZero()) {
      throw TaskqException.invalid("TASKQ_LEASE_SECONDS", "must be a positive number of seconds");
    }
    if (database != null) {
      checkName("queue", queue, 40);
      checkName("schema", schema, 40);
    }
    if (progressDeadline.compareTo(lease) < 0) {
      throw TaskqException.invalid(
          "TASKQ_PROGRESS_DEADLINE_SECONDS",
          "must be at least the lease ("
              + lease.toSeconds()
              + " s): a claim cannot need a checkpoint sooner than its lease runs out");
    }
  }

  /** With the default progress deadline (or the lease, when that is longer). */
  public StoreConfig(
      Path dir, Duration lease, Clock clock, DatabaseUrl database, String queue, String schema) {
    this(dir, lease, clock, database, queue, schema, defaultDeadline(lease));
  }

  /** A file queue at {@code dir}. */
  public StoreConfig(Path dir, Duration lease, Clock clock) {
    this(dir, lease, clock, null, null, null);
  }

  /** A file queue at {@code dir} with a progress deadline. */
  public StoreConfig(Path dir, Duration lease, Duration progressDeadline, Clock clock) {
    this(dir, lease, clock, null, null, null, progressDeadline);
  }

  public static StoreConfig of(Path dir) {
    return new StoreConfig(dir, DEFAULT_LEASE, Clock.systemUTC());
  }

  /** True when the queue is kept in PostgreSQL. */
  public boolean usesDatabase() {
    return database != null;
  }

  /** The same settings with the queue kept in {@code url}, as {@code queue} in {@code schema}. */
  public StoreConfig withDatabase(DatabaseUrl url, String queue, String schema) {
    return new StoreConfig(dir, lease, clock, url, queue, schema, progressDeadline);
  }

  /**
   * The queue at {@code dir} (found by {@code dev.taskq.project.QueueFinder}) with the lease from
   * {@code TASKQ_LEASE_SECONDS} and the progress deadline from {@code
   * TASKQ_PROGRESS_DEADLINE_SECONDS}; in PostgreSQL when {@code TASKQ_DATABASE_URL} is set or the
   * project's {@link #SETTINGS_FILE} says so (then the variable is required: a clear error, never a
   * silent file queue). The queue's name: {@code TASKQ_QUEUE}, else the settings file's, else the
   * project folder's name; the schema: {@code TASKQ_SCHEMA}, else the settings file's, else taskq.
   */
  public static StoreConfig fromEnv(Path dir, Map<String, String> env, Clock clock) {
    Duration lease = seconds(env, "TASKQ_LEASE_SECONDS", DEFAULT_LEASE);
    Duration deadline = seconds(env, "TASKQ_PROGRESS_DEADLINE_SECONDS", defaultDeadline(lease));
    JsonNode settings = readSettings(dir.resolve(SETTINGS_FILE));
    String store = text(settings, "store");
    if (store != null && !store.equals("postgresql") && !store.equals("files")) {
      throw new TaskqException(
          ErrorCode.INVALID_ARGUMENT,
          "store",
          dir.resolve(SETTINGS_FILE) + ": store is '" + store + "'; use postgresql or files",
          null,
          null);
    }
    String url = env.get(URL_VARIABLE);
    boolean wantsDatabase = "postgresql".equals(store);
    if (url == null || url.isBlank()) {
      if (wantsDatabase) {
        throw missingUrl(dir);
      }
      return new StoreConfig(dir, lease, deadline, clock);
    }
    if ("files".equals(store)) {
      return new StoreConfig(dir, lease, deadline, clock);
    }
    DatabaseUrl db = DatabaseUrl.parse(URL_VARIABLE, url);
    String queue = firstOf(env.get("TASKQ_QUEUE"), text(settings, "queue"));
    String schema = firstOf(env.get("TASKQ_SCHEMA"), text(settings, "schema"));
    return new StoreConfig(
        dir,
        lease,
        clock,
        db,
        queue != null ? queue : defaultQueueName(dir),
        schema != null ? schema : DEFAULT_SCHEMA,
        deadline);
  }

  /**
   * The queue name a project gets when nothing names one: its folder's name (the folder holding
   * tasks/), lower-cased, other characters as '-': the same on every machine that checks the
   * project out under its usual name.
   */
  public static String defaultQueueName(Path queueDir) {
    Path project = queueDir.toAbsolutePath().normalize().getParent();
    String name =
        project == null || project.getFileName() == null
            ? "default"
            : project.getFileName().toString();
    StringBuilder sb = new StringBuilder();
    for (char c : name.toLowerCase(Locale.ROOT).toCharArray()) {
      boolean ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
      sb.append(ok ? c : '-');
    }
    String s = sb.toString().replaceAll("^[-_]+", "");
    if (s.isEmpty()) {
      s = "default";
    }
    return s.length() > 40 ? s.substring(0, 40) : s;
  }

  /**
   * Names taskq puts into SQL identifiers and channel names: a queue is a-z, 0-9, '_' and '-'
   * starting with a letter or digit; a schema is a-z, 0-9 and '_' not starting with a digit.
   */
  public static void checkName(String field, String name, int max) {
    String pattern = field.equals("schema") ? "[a-z_][a-z0-9_]*" : "[a-z0-9][a-z0-9_-]*";
    if (name == null || name.isEmpty() || name.length() > max || !name.matches(pattern)) {
      throw TaskqException.invalid(
          field,
          "'"
              + name
              + "' must be 1 to "
              + max
              + (field.equals("schema")
                  ? " characters of a-z, 0-9 and '_', not starting with a digit"
                  : " characters of a-z, 0-9, '_' and '-', starting with a letter or digit"));
    }
  }

  private static TaskqException missingUrl(Path dir) {
    return new TaskqException(
        ErrorCode.STORE_ERROR,
        URL_VARIABLE,
        "this project keeps its queue in PostgreSQL ("
            + dir.resolve(SETTINGS_FILE)
            + ") but "
            + URL_VARIABLE
            + " is not set",
        "ask the user to set "
            + URL_VARIABLE
            + " (postgresql://USER@HOST:5432/DATABASE) where Claude Code starts, then restart"
            + " the session",
        "set "
            + URL_VARIABLE
            + "=postgresql://USER@HOST:5432/DATABASE in your environment (the password in"
            + " ~/.pgpass or PGPASSFILE, never in a file under git)",
        null);
  }

  private static JsonNode readSettings(Path file) {
    if (!Files.isRegularFile(file)) {
      return null;
    }
    try {
      return JsonMapper.builder().build().readTree(Files.readString(file));
    } catch (IOException | JacksonException e) {
      throw new TaskqException(
          ErrorCode.INVALID_ARGUMENT,
          "store",
          file + " cannot be read as JSON: " + e.getMessage(),
          "fix or delete it; `taskq init --database-url URL` writes it",
          null);
    }
  }

  private static String text(JsonNode settings, String key) {
    if (settings == null) {
      return null;
    }
    JsonNode n = settings.get(key);
    return n == null || n.isNull() ? null : n.asString();
  }

  private static String firstOf(String a, String b) {
    return a != null && !a.isBlank() ? a.strip() : b;
  }

  private static Duration seconds(Map<String, String> env, String name, Duration otherwise) {
    String s = env.get(name);
    if (s == null || s.isBlank()) {
      return otherwise;
    }
    try {
      return Duration.ofSeconds(Long.parseLong(s.trim()));
    } catch (NumberFormatException e) {
      throw TaskqException.invalid(name, "must be a whole number of seconds, got " + s);
    }
  }

  /** The default progress deadline, or the lease when that is longer. */
  private static Duration defaultDeadline(Duration lease) {
    return DEFAULT_PROGRESS_DEADLINE.compareTo(lease) >= 0 ? DEFAULT_PROGRESS_DEADLINE : lease;
  }
}
