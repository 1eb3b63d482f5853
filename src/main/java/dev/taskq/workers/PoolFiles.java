package dev.taskq.workers;

import java.nio.file.Path;

/**
 * Where the pool keeps its machine-local state, all under the queue's {@code .taskq/workers/}:
 *
 * <pre>
 * supervisor.lock    held by the running supervisor (one per queue)
 * state.json         the pool as the supervisor sees it, rewritten on every change (see PoolState)
 * pool.json          the options of the pool being started
 * requests/          a second start (more workers) or a stop, one JSON file each
 * pool.log           the supervisor's log: starts, exits, pauses (bounded, one old file kept)
 * supervisor.err     the supervisor JVM's own stderr (only unexpected errors land here)
 * worker-N/mcp.json  the MCP config each worker's claude gets (same queue, holder worker-N)
 * worker-N/run-0007.jsonl   a run's stream-json transcript; .stderr beside it
 * </pre>
 */
public record PoolFiles(Path queueDir) {
  public PoolFiles {
    queueDir = queueDir.toAbsolutePath().normalize();
  }

  public Path root() {
    return queueDir.resolve(".taskq").resolve("workers");
  }

  public Path lock() {
    return root().resolve("supervisor.lock");
  }

  public Path state() {
    return root().resolve("state.json");
  }

  public Path config() {
    return root().resolve("pool.json");
  }

  public Path requests() {
    return root().resolve("requests");
  }

  public Path poolLog() {
    return root().resolve("pool.log");
  }

  public Path supervisorErr() {
    return root().resolve("supervisor.err");
  }

  public Path worker(String name) {
    return root().resolve(name);
  }

  public Path mcpConfig(String name) {
    return worker(name).resolve("mcp.json");
  }

  public Path transcript(String name, int run) {
    return worker(name).resolve(String.format("run-%04d.jsonl", run));
  }

  public Path runStderr(String name, int run) {
    return worker(name).resolve(String.format("run-%04d.stderr", run));
  }

  /** The folder people run workers in: the project (the queue's parent when it is tasks/). */
  public Path project(Path fallback) {
    Path parent = queueDir.getParent();
    return parent != null && queueDir.getFileName().toString().equals("tasks") ? parent : fallback;
  }
}
