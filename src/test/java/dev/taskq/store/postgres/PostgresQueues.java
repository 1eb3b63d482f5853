package dev.taskq.store.postgres;

import dev.taskq.store.Queue;
import dev.taskq.store.StoreConfig;
import dev.taskq.store.TaskStore;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Queues in a test database: each {@link #fresh()} call names a new, empty queue in one database of
 * the shared test server, so tests need no cleanup and never see each other's tasks.
 */
public final class PostgresQueues {
  private static final AtomicInteger QUEUES = new AtomicInteger();
  private final PostgresServer server;
  private final String database;

  public PostgresQueues(PostgresServer server) {
    this.server = server;
    this.database = server.createDatabase();
  }

  /** A database of the JVM's shared server. */
  public static PostgresQueues onSharedServer() {
    return new PostgresQueues(PostgresServer.shared());
  }

  public PostgresServer server() {
    return server;
  }

  public String database() {
    return database;
  }

  /** The URL of this database (with the app role's password in it). */
  public String url() {
    return server.url(database);
  }

  /** A queue name nobody used yet. */
  public String fresh() {
    return "q" + QUEUES.incrementAndGet();
  }

  /** The configuration of {@code queue} in this database, schema taskq. */
  public StoreConfig config(String queue, Duration lease) {
    return new StoreConfig(Path.of("tasks"), lease, Clock.systemUTC())
        .withDatabase(server.databaseUrl(database), queue, StoreConfig.DEFAULT_SCHEMA);
  }

  /** A store on {@code queue} whose instants come from {@code clock} (tests that move time). */
  public TaskStore open(String queue, Clock clock, Duration lease) {
    return new Queue(new PostgresStorage(config(queue, lease), clock), lease);
  }

  /** A store on {@code queue} on the database's clock, as production opens it. */
  public TaskStore open(String queue, Duration lease) {
    return new Queue(new PostgresStorage(config(queue, lease)), lease);
  }
}
