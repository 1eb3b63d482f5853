package dev.taskq.dashboard;

import dev.taskq.core.CheckpointRequest;
import dev.taskq.core.Claim;
import dev.taskq.core.ClaimResult;
import dev.taskq.core.Holder;
import dev.taskq.core.NewTask;
import dev.taskq.core.Outcome;
import dev.taskq.core.Progress;
import dev.taskq.store.TaskStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A queue with a task in every state, the one the README's screenshot shows: an audit fanned out to
 * three lanes, a report that waits for them, one task done, one failed, one claim by each of two
 * sessions with checkpoints, and a hand-written file that is not valid.
 */
final class DemoQueue {
  private DemoQueue() {}

  static NewTask task(
      String id, String title, String criterion, String lane, int priority, List<String> after) {
    return new NewTask(id, title, criterion, null, lane, priority, after, 3, null);
  }

  static NewTask task(String id, String title, String criterion, String lane, String text) {
    return new NewTask(id, title, criterion, text, lane, 0, List.of(), 3, null);
  }

  /**
   * Fills {@code store}; claims are held by {@code a} and {@code b} (processes that stay alive).
   */
  static void build(TaskStore store, Path queueDir, Holder a, Holder b) throws IOException {
    store.enqueue(
        List.of(
            task(
                "ui-audit",
                "List components that fetch data in render",
                "every such component listed with file:line",
                "frontend",
                "Walk `src/components`; a component fetches in render when it calls `fetch` or a"
                    + " query hook outside `useEffect`."),
            task(
                "db-audit",
                "Find every N+1 query in src/db",
                "every query in src/db listed with file:line and a fix",
                "db",
                "Look at every file under `src/db`; list each query issued **in a loop**.\n\n"
                    + "- `models/`\n- `queries/`\n- `reports/`"),
            task(
                "api-audit",
                "Check every API handler validates its input",
                "each handler listed, with the validation it lacks",
                "api",
                3,
                List.of()),
            task(
                "css-cleanup",
                "Remove unused CSS classes",
                "no unused class left in src/styles",
                "frontend",
                0,
                List.of()),
            task(
                "legacy-import",
                "Port the legacy CSV importer",
                "imports the three sample files",
                "api",
                0,
                List.of()),
            task(
                "i18n-strings",
                "Move UI strings into the message catalog",
                "no literal UI string left in src/components",
                "frontend",
                -1,
                List.of()),
            task(
                "report",
                "Write the audit report",
                "one page per area, every finding with a fix",
                null,
                0,
                List.of("ui-audit", "api-audit", "db-audit"))));

    // Same priority and age: claims go by id, so css-cleanup comes first.
    Claim css = claim(store, a, "frontend", "css-cleanup");
    store.complete(
        css.task().id(),
        css.token(),
        Outcome.FAILED,
        "class names are built from strings at run time (`btn-${kind}`), so unused ones cannot"
            + " be told apart safely");

    Claim ui = claim(store, a, "frontend", "ui-audit");
    store.writeCheckpoint(
        new CheckpointRequest(
            ui.task().id(),
            ui.token(),
            "scanned src/components",
            new Progress(40, 40),
            "- `Cart.jsx:14` fetches prices in render\n- `Profile.jsx:33` loads the avatar in"
                + " render",
            null));
    store.complete(
        ui.task().id(),
        ui.token(),
        Outcome.DONE,
        "Two components fetch in render:\n\n- `Cart.jsx:14`: move the price query into"
            + " `useEffect`\n- `Profile.jsx:33`: use the cached avatar URL");

    Claim db = claim(store, a, "db", "db-audit");
    store.writeCheckpoint(
        new CheckpointRequest(
            db.task().id(),
            db.token(),
            "scanned models/",
            new Progress(60, 180),
            "- `models/order.py:88` loads each line item in a loop",
            "queries/"));
    store.writeCheckpoint(
        new CheckpointRequest(
            db.task().id(),
            db.token(),
            "scanned models/ and queries/",
            new Progress(120, 180),
            "- `queries/report.py:41` one query per customer",
            "src/db/reports"));

    Claim api = claim(store, b, "api", "api-audit");
    store.writeCheckpoint(
        new CheckpointRequest(
            api.task().id(),
            api.token(),
            "checked the users and orders handlers",
            new Progress(14, 40),
            "- `POST /users` accepts any email\n- `PUT /orders/:id` trusts `total`",
            "src/api/payments"));

    if (queueDir != null) {
      // A file someone wrote by hand that is not a valid task (the file store only).
      Files.writeString(
          queueDir.resolve("pending").resolve("notes.md"), "---\nid: [broken\n---\nremember\n");
    }
  }

  private static Claim claim(TaskStore store, Holder h, String lane, String expected) {
    ClaimResult r = store.claimNext(h, lane);
    if (!(r instanceof ClaimResult.Claimed c) || !c.claim().task().id().equals(expected)) {
      throw new IllegalStateException("expected to claim " + expected + ", got " + r);
    }
    return c.claim();
  }
}
