package dev.taskq.store.postgres;

import dev.taskq.core.Claim;
import dev.taskq.core.ClaimResult;
import dev.taskq.core.ErrorCode;
import dev.taskq.core.Holder;
import dev.taskq.core.Outcome;
import dev.taskq.core.QueuePage;
import dev.taskq.core.QueueQuery;
import dev.taskq.core.TaskState;
import dev.taskq.core.TaskqException;
import dev.taskq.store.ProcessIdentity;
import dev.taskq.store.StoreConfig;
import dev.taskq.store.StoreFactory;
import dev.taskq.store.TaskStore;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;

/**
 * A separate JVM on a PostgreSQL queue, opened the way production opens it ({@code StoreFactory}
 * from {@code TASKQ_DATABASE_URL} and {@code TASKQ_QUEUE} in its environment, the database's
 * clock). One line per fact: {@code READY}, {@code CLAIMED <id> <token>}, {@code DONE <id>}, {@code
 * ERR <code> <message>}, {@code FENCED <message>}, {@code END}.
 *
 * <pre>
 * drain &lt;dir&gt; &lt;name&gt; &lt;go-file&gt;   claim → checkpoint → complete until the queue is finished;
 *                                  store errors are printed and retried (the server may restart)
 * hold &lt;dir&gt; &lt;name&gt;               claim one task, then wait for "complete" on stdin and try
 *                                  to complete it with the token
 * </pre>
 */
public final class PgWorker {
  private final TaskStore store;
  private final Holder holder;
  private final PrintStream out = System.out;

  private PgWorker(Path dir, String name) {
    this.store = StoreFactory.open(StoreConfig.fromEnv(dir, System.getenv(), Clock.systemUTC()));
    this.holder = ProcessIdentity.current(name);
  }

  public static void main(String[] args) throws Exception {
    PgWorker w = new PgWorker(Path.of(args[1]), args[2]);
    switch (args[0]) {
      case "drain" -> w.drain(Path.of(args[3]));
      case "hold" -> w.hold();
      default -> throw new IllegalArgumentException("unknown mode " + args[0]);
    }
    w.store.close();
    w.say("END");
  }

  private void drain(Path go) throws Exception {
    say("READY");
    long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
    while (!Files.exists(go) && System.nanoTime() < deadline) {
      Thread.sleep(5);
    }
    while (true) {
      try {
        if (store.claimNext(holder, null) instanceof ClaimResult.Claimed got) {
          Claim c = got.claim();
          String id = c.task().id();
          store.complete(id, c.token(), Outcome.DONE, "result of " + id);
          say("DONE " + id);
          continue;
        }
        QueuePage p = store.list(QueueQuery.firstPage(1));
        if (p.count(TaskState.PENDING) + p.count(TaskState.IN_PROGRESS) == 0) {
          return;
        }
        // Claimed elsewhere, or a claim whose answer was lost waits for its lease.
        Thread.sleep(50);
      } catch (TaskqException e) {
        if (e.code() == ErrorCode.FENCED) {
          say("FENCED " + oneLine(e.getMessage()));
          continue;
        }
        say("ERR " + e.code() + " " + oneLine(e.getMessage()));
        Thread.sleep(100);
      }
    }
  }

  private void hold() throws Exception {
    ClaimResult r = store.claimNext(holder, null);
    if (!(r instanceof ClaimResult.Claimed got)) {
      say("NOTHING");
      return;
    }
    Claim c = got.claim();
    say("CLAIMED " + c.task().id() + " " + c.token());
    BufferedReader in =
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    for (String line; (line = in.readLine()) != null; ) {
      if (line.equals("complete")) {
        try {
          store.complete(c.task().id(), c.token(), Outcome.DONE, "late result");
          say("DONE " + c.task().id());
        } catch (TaskqException e) {
          say(
              (e.code() == ErrorCode.FENCED ? "FENCED " : "ERR " + e.code() + " ")
                  + oneLine(e.getMessage()));
        }
        return;
      }
    }
  }

  private static String oneLine(String s) {
    return s.replace('\n', ' ');
  }

  private synchronized void say(String line) {
    out.println(line);
    out.flush();
  }
}
