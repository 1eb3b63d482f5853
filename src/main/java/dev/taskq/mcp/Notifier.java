package dev.taskq.mcp;

import io.modelcontextprotocol.server.McpSyncServer;
import io.modelcontextprotocol.spec.McpSchema.ResourcesUpdatedNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells the client what a tool call changed: list_changed when a task was added or changed state,
 * and resources/updated for the resources that now read differently (sent by the SDK only to
 * sessions that subscribed to that URI).
 */
final class Notifier {
  private static final Logger log = LoggerFactory.getLogger(Notifier.class);

  private volatile McpSyncServer server;

  void attach(McpSyncServer server) {
    this.server = server;
  }

  /** A task was added, claimed, finished or released. */
  void stateChanged(Iterable<String> ids) {
    McpSyncServer s = server;
    if (s == null) {
      return;
    }
    try {
      s.notifyResourcesListChanged();
    } catch (RuntimeException e) {
      log.debug("list_changed not sent: {}", e.toString());
    }
    updated(ids);
  }

  /** A task's content changed without a state change (checkpoint, log line). */
  void updated(Iterable<String> ids) {
    McpSyncServer s = server;
    if (s == null) {
      return;
    }
    try {
      s.notifyResourcesUpdated(new ResourcesUpdatedNotification(Resources.QUEUE));
      s.notifyResourcesUpdated(new ResourcesUpdatedNotification(Resources.LOG));
      for (String id : ids) {
        s.notifyResourcesUpdated(new ResourcesUpdatedNotification(Resources.taskUri(id)));
      }
    } catch (RuntimeException e) {
      log.debug("resources/updated not sent: {}", e.toString());
    }
  }
}
