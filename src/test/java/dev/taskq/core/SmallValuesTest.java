package dev.taskq.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

/** Progress, Outcome, TaskState, QueueQuery, Holder and TaskqException: the small value types. */
class SmallValuesTest {

  private static void refused(String field, ThrowingCallable call) {
    TaskqException e = catchThrowableOfType(TaskqException.class, call);
    assertThat(e).as("expected INVALID_ARGUMENT for %s", field).isNotNull();
    assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT);
    assertThat(e.field()).isEqualTo(field);
  }

  @Test
  void progress_parses_done_over_total_and_refuses_nonsense() {
    assertThat(Progress.parse(" 60 / 180 ")).isEqualTo(new Progress(60, 180));
    assertThat(Progress.parse(null)).isNull();
    assertThat(Progress.parse(" ")).isNull();
    assertThat(new Progress(60, 180).percent()).isEqualTo(33);
    assertThat(new Progress(60, 180)).hasToString("60/180");
    refused("progress", () -> Progress.parse("60"));
    refused("progress", () -> Progress.parse("a/b"));
    refused("progress.done", () -> new Progress(-1, 5));
    refused("progress.total", () -> new Progress(0, 0));
    refused("progress.done", () -> new Progress(6, 5));
  }

  @Test
  void outcome_parses_any_case_and_names_the_field_otherwise() {
    assertThat(Outcome.parse(" Done ")).isEqualTo(Outcome.DONE);
    assertThat(Outcome.parse("released")).isEqualTo(Outcome.RELEASED);
    assertThat(Outcome.FAILED.wire()).isEqualTo("failed");
    refused("outcome", () -> Outcome.parse("finished"));
    refused("outcome", () -> Outcome.parse(null));
  }

  @Test
  void states_map_to_folders_and_back() {
    for (TaskState s : TaskState.values()) {
      assertThat(TaskState.fromFolder(s.folder())).isEqualTo(s);
      assertThat(TaskState.fromFolder(s.name())).isEqualTo(s);
    }
    assertThat(TaskState.IN_PROGRESS.folder()).isEqualTo("in-progress");
    assertThat(TaskState.COMPLETED.isFinal()).isTrue();
    assertThat(TaskState.FAILED.isFinal()).isTrue();
    assertThat(TaskState.PENDING.isFinal()).isFalse();
    refused("state", () -> TaskState.fromFolder("done"));
  }

  @Test
  void queue_query_refuses_bad_paging() {
    assertThat(QueueQuery.firstPage(20)).isEqualTo(new QueueQuery(null, null, 0, 20));
    refused("offset", () -> new QueueQuery(null, null, -1, 10));
    refused("limit", () -> new QueueQuery(null, null, 0, 0));
    refused("limit", () -> new QueueQuery(null, null, 0, 10_001));
  }

  @Test
  void holder_label_is_short_and_same_process_ignores_the_session() {
    Holder a = new Holder("3f2a9c1e-1234-5678-9abc-def012345678", "devbox", 4121, 99);
    Holder sameProcess = new Holder("other", "devbox", 4121, 99);
    Holder reusedPid = new Holder("3f2a9c1e-1234-5678-9abc-def012345678", "devbox", 4121, 100);

    assertThat(a.label()).isEqualTo("3f2a9c1e-123@devbox#4121");
    assertThat(new Holder(null, "devbox", 7, 0).label()).isEqualTo("pid@devbox#7");
    assertThat(a.sameProcess(sameProcess)).isTrue();
    assertThat(a.sameProcess(reusedPid)).isFalse();
    assertThat(a.sameProcess(null)).isFalse();
  }

  @Test
  void a_checkpoint_request_names_the_bad_field() {
    Progress p = new Progress(1, 2);
    assertThat(new CheckpointRequest("a", "tok", "  did it  ", p, null, null).summary())
        .isEqualTo("did it");
    assertThat(new CheckpointRequest("a", "tok", "s", null, null, null).findings()).isEmpty();
    refused("id", () -> new CheckpointRequest("../a", "tok", "s", p, null, null));
    refused("token", () -> new CheckpointRequest("a", " ", "s", p, null, null));
    refused("summary", () -> new CheckpointRequest("a", "tok", "", p, null, null));
    refused(
        "summary",
        () -> new CheckpointRequest("a", "tok", "s".repeat(Limits.SUMMARY_MAX + 1), p, null, null));
    refused(
        "findings",
        () -> new CheckpointRequest("a", "tok", "s", p, "f".repeat(Limits.FINDINGS_MAX + 1), null));
    refused("next", () -> new CheckpointRequest("a", "tok", "s", p, null, "n\0"));
  }

  @Test
  void an_exception_describes_itself_in_one_line_with_the_hint() {
    TaskqException e = TaskqException.fenced("task a was completed");

    assertThat(e.code()).isEqualTo(ErrorCode.FENCED);
    assertThat(e.describe())
        .isEqualTo("FENCED: task a was completed; " + ErrorCode.FENCED.hint())
        .doesNotContain("\n");
    assertThat(TaskqException.notFound("x").field()).isEqualTo("id");
    for (ErrorCode c : ErrorCode.values()) {
      assertThat(c.hint()).isNotBlank();
    }
  }
}
