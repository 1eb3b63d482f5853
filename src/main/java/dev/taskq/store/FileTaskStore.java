package dev.taskq.store;

import dev.taskq.core.Checkpoint;
import dev.taskq.core.CheckpointRequest;
import dev.taskq.core.ClaimResult;
import dev.taskq.core.EnqueueResult;
import dev.taskq.core.Holder;
import dev.taskq.core.NewTask;
import dev.taskq.core.Outcome;
import dev.taskq.core.QueuePage;
import dev.taskq.core.QueueQuery;
import dev.taskq.core.Task;
import dev.taskq.core.TaskDetail;
import java.util.List;

/** The queue as plain Markdown files in a directory (work in progress: being written now). */
public final class FileTaskStore implements TaskStore {
  public FileTaskStore(StoreConfig config) {}

  @Override
  public List<EnqueueResult> enqueue(List<NewTask> tasks) {
    throw new UnsupportedOperationException("in progress");
  }

  @Override
  public ClaimResult claimNext(Holder holder, String lane) {
    throw new UnsupportedOperationException("in progress");
  }

  @Override
  public Checkpoint writeCheckpoint(CheckpointRequest request) {
    throw new UnsupportedOperationException("in progress");
  }

  @Override
  public Task complete(String id, String token, Outcome outcome, String result) {
    throw new UnsupportedOperationException("in progress");
  }

  @Override
  public String appendLog(String message, String id, String token) {
    throw new UnsupportedOperationException("in progress");
  }

  @Override
  public QueuePage list(QueueQuery query) {
    throw new UnsupportedOperationException("in progress");
  }

  @Override
  public TaskDetail get(String id) {
    throw new UnsupportedOperationException("in progress");
  }

  @Override
  public List<String> tailLog(int n) {
    throw new UnsupportedOperationException("in progress");
  }

  @Override
  public int releaseAllHeldBy(Holder holder) {
    throw new UnsupportedOperationException("in progress");
  }

  @Override
  public Task requeue(String id) {
    throw new UnsupportedOperationException("in progress");
  }

  @Override
  public Task forceRelease(String id) {
    throw new UnsupportedOperationException("in progress");
  }

  @Override
  public void close() {}
}
