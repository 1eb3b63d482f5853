package dev.taskq.store;

import dev.taskq.core.ErrorCode;
import dev.taskq.core.TaskqException;
import dev.taskq.store.file.FileStorage;
import dev.taskq.store.file.FolderExport;
import dev.taskq.store.postgres.PostgresStorage;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Picks the store a configuration asks for. The one class outside a store's own package that names
 * a concrete store: adapters (CLI, MCP server, workers, dashboard) open stores only through here
 * and then speak only {@link TaskStore}.
 */
public final class StoreFactory {
  private StoreFactory() {}

  /**
   * Opens the queue {@code config} names: in PostgreSQL when it names a database (nothing connects
   * until the first call), else the file store in its folder.
   */
  public static TaskStore open(StoreConfig config) {
    if (config.usesDatabase()) {
      return new Queue(new PostgresStorage(config), config.lease(), config.progressDeadline());
    }
    return new Queue(new FileStorage(config), config.lease(), config.progressDeadline());
  }

  /**
   * {@code taskq export DIR}: the queue {@code from} names, written as the Markdown layout of a
   * file queue into {@code dir} (which must not exist or be empty), for people to read.
   */
  public static QueueSnapshot exportQueue(StoreConfig from, Path dir) {
    QueueSnapshot s;
    try (Storage source = storage(from)) {
      s = QueueSnapshot.read(source);
    }
    FolderExport.write(s, dir);
    return s;
  }

  /**
   * {@code taskq import DIR}: the file queue in {@code dir} moved into the database {@code to}
   * names, all or nothing, into an empty queue. The files stay as they were.
   */
  public static QueueSnapshot importQueue(Path dir, StoreConfig to) {
    if (!to.usesDatabase()) {
      throw new TaskqException(
          ErrorCode.INVALID_ARGUMENT,
          StoreConfig.URL_VARIABLE,
          "import moves a file queue into PostgreSQL, and this project's queue is in files",
          null,
          "set " + StoreConfig.URL_VARIABLE + " (or run `taskq init --database-url URL`) first",
          null);
    }
    if (!Files.isDirectory(dir.resolve("pending"))) {
      throw new TaskqException(
          ErrorCode.NOT_FOUND,
          "DIR",
          "no file queue at " + dir + " (no pending/ folder)",
          null,
          "name the folder that holds pending/, completed/, … and log.txt",
          null);
    }
    QueueSnapshot s;
    try (Storage source = new FileStorage(new StoreConfig(dir, to.lease(), to.clock()))) {
      s = QueueSnapshot.read(source);
    }
    try (PostgresStorage target = new PostgresStorage(to)) {
      target.load(s);
    }
    return s;
  }

  private static Storage storage(StoreConfig config) {
    return config.usesDatabase() ? new PostgresStorage(config) : new FileStorage(config);
  }
}
