package dev.taskq.store;

import dev.taskq.store.file.FileStorage;

/**
 * Picks the store a configuration asks for. The one class outside a store's own package that names
 * a concrete store: adapters (CLI, MCP server, workers, dashboard) open stores only through here
 * and then speak only {@link TaskStore}.
 */
public final class StoreFactory {
  private StoreFactory() {}

  /** Opens the queue {@code config} names; only the file store exists today. */
  public static TaskStore open(StoreConfig config) {
    return new Queue(new FileStorage(config), config.lease());
  }
}
