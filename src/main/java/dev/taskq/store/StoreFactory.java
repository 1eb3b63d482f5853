package dev.taskq.store;

import dev.taskq.store.file.FileStorage;
import dev.taskq.store.postgres.PostgresStorage;

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
      return new Queue(new PostgresStorage(config), config.lease());
    }
    return new Queue(new FileStorage(config), config.lease());
  }
}
