package dev.taskq.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class TaskTest {
  private static final Instant T0 = Instant.parse("2026-11-24T13:00:00Z");
  private static final Duration LEASE = Duration.ofMinutes(15);
  private final Holder alice = new Holder("alice", "host", 42, 7);

  private Task fresh(int maxAttempts) {
    NewTask n = new NewTask("a", "Title", "crit", "do", "db", 3, List.of("b"), maxAttempts, "k");
    return Task.fresh(n, "a", T0);
  }

  @Test
  void a_fresh_task_is_pending_unclaimed_at_rev_one() {
    Task t = fresh(3);

    assertThat(t.state()).isEqualTo(TaskState.PENDING);
    assertThat(t.canBeClaimed()).isTrue();
    assertThat(t.attempt()).isZero();
    assertThat(t.created()).isEqualTo(T0);
    assertThat(t.lane()).isEqualTo("db");
    assertThat(t.after()).containsExactly("b");
    assertThat(t.dedupeKey()).isEqualTo("k");
    assertThat(t.lease()).isNull();
    assertThat(t.leaseLeft(T0)).isNull();
    assertThat(t.rev()).isEqualTo(1);
  }

  @Test
  void claiming_counts_an_attempt_and_sets_the_lease() {
    Task t = fresh(3).claimed(alice, "tok", T0, LEASE);

    assertThat(t.state()).isEqualTo(TaskState.IN_PROGRESS);
    assertThat(t.canBeClaimed()).isFalse();
    assertThat(t.attempt()).isEqualTo(1);
    assertThat(t.lease()).isEqualTo(new Lease(alice, "tok", T0.plus(LEASE), T0));
    assertThat(t.leaseLeft(T0.plusSeconds(60))).isEqualTo(Duration.ofMinutes(14));
    assertThat(t.leaseLeft(T0.plus(Duration.ofHours(1)))).isEqualTo(Duration.ZERO);
    assertThat(t.rev()).isEqualTo(2);
  }

  @Test
  void renewing_and_checkpointing_move_the_lease_and_keep_the_token() {
    Task claimed = fresh(3).claimed(alice, "tok", T0, LEASE);
    Instant later = T0.plus(Duration.ofMinutes(10));

    Task renewed = claimed.renewed(later, LEASE);
    Task checked = renewed.checkpointed(1, new Progress(5, 10), later, LEASE);
    Task keepsProgress = checked.checkpointed(2, null, later.plusSeconds(1), LEASE);

    assertThat(renewed.lease().until()).isEqualTo(later.plus(LEASE));
    assertThat(renewed.lease().token()).isEqualTo("tok");
    assertThat(checked.checkpoints()).isEqualTo(1);
    assertThat(checked.progress()).isEqualTo(new Progress(5, 10));
    assertThat(keepsProgress.checkpoints()).isEqualTo(2);
    assertThat(keepsProgress.progress()).isEqualTo(new Progress(5, 10));
    assertThat(keepsProgress.rev()).isGreaterThan(checked.rev());
    assertThat(checked.rev()).isGreaterThan(renewed.rev());
  }

  @Test
  void done_and_failed_end_the_claim_with_an_outcome() {
    Task claimed = fresh(3).claimed(alice, "tok", T0, LEASE);
    Instant end = T0.plusSeconds(90);

    Task done = claimed.finishedAs(Outcome.DONE, "result", end);
    Task failed = claimed.finishedAs(Outcome.FAILED, "why", end);

    assertThat(done.state()).isEqualTo(TaskState.COMPLETED);
    assertThat(done.outcome()).isEqualTo(Outcome.DONE);
    assertThat(done.finished()).isEqualTo(end);
    assertThat(done.result()).isEqualTo("result");
    assertThat(done.lease()).isNull();
    assertThat(done.attempt()).isEqualTo(1);
    assertThat(failed.state()).isEqualTo(TaskState.FAILED);
    assertThat(failed.outcome()).isEqualTo(Outcome.FAILED);
    assertThat(failed.reason()).isNotBlank();
    assertThat(failed.result()).isEqualTo("why");
  }

  @Test
  void releasing_gives_the_attempt_back_and_keeps_checkpoints() {
    Task claimed =
        fresh(3).claimed(alice, "tok", T0, LEASE).checkpointed(2, new Progress(1, 2), T0, LEASE);

    Task released = claimed.finishedAs(Outcome.RELEASED, null, T0);

    assertThat(released.state()).isEqualTo(TaskState.PENDING);
    assertThat(released.attempt()).isZero();
    assertThat(released.lease()).isNull();
    assertThat(released.checkpoints()).isEqualTo(2);
    assertThat(released.progress()).isEqualTo(new Progress(1, 2));
    assertThat(released.outcome()).isNull();
    assertThat(released.finished()).isNull();
  }

  @Test
  void expiry_returns_the_task_to_pending_until_attempts_run_out() {
    Task once = fresh(2).claimed(alice, "t1", T0, LEASE);

    Task back = once.expired(T0.plus(LEASE), "lease ran out");
    Task twice = back.claimed(alice, "t2", T0, LEASE);
    Task dead = twice.expired(T0.plus(LEASE), "holder process gone");

    assertThat(back.state()).isEqualTo(TaskState.PENDING);
    assertThat(back.attempt()).isEqualTo(1);
    assertThat(back.lease()).isNull();
    assertThat(twice.attempt()).isEqualTo(2);
    assertThat(dead.state()).isEqualTo(TaskState.FAILED);
    assertThat(dead.attempt()).isEqualTo(2);
    assertThat(dead.outcome()).isEqualTo(Outcome.FAILED);
    assertThat(dead.reason()).contains("max attempts reached").contains("holder process gone");
    assertThat(dead.isClaimed()).isFalse();
    assertThat(dead.failedWithLastClaim("t2")).as("its last holder may still finish").isTrue();
    assertThat(dead.failedWithLastClaim("t1")).isFalse();
  }

  @Test
  void a_new_claim_clears_an_earlier_outcome() {
    Task failed = fresh(3).claimed(alice, "t1", T0, LEASE).finishedAs(Outcome.FAILED, "x", T0);

    Task requeued = failed.requeued();
    Task again = requeued.claimed(alice, "t2", T0, LEASE);

    assertThat(requeued.state()).isEqualTo(TaskState.PENDING);
    assertThat(requeued.attempt()).isZero();
    assertThat(requeued.reason()).isNull();
    assertThat(requeued.outcome()).isNull();
    assertThat(again.attempt()).isEqualTo(1);
    assertThat(again.outcome()).isNull();
    assertThat(again.finished()).isNull();
  }

  @Test
  void every_transition_bumps_the_rev() {
    Task t = fresh(3);
    Task touched = t.touched();

    assertThat(touched.rev()).isEqualTo(t.rev() + 1);
    assertThat(touched.state()).isEqualTo(t.state());
    assertThat(t.claimed(alice, "x", T0, LEASE).expired(T0, "w").rev()).isEqualTo(t.rev() + 2);
  }

  @Test
  void lease_expires_at_its_instant_not_before() {
    Lease l = new Lease(alice, "tok", T0);

    assertThat(l.expiredAt(T0.minusMillis(1))).isFalse();
    assertThat(l.expiredAt(T0)).isTrue();
    assertThat(l.renewedUntil(T0.plusSeconds(5)))
        .isEqualTo(new Lease(alice, "tok", T0.plusSeconds(5)));
  }

  @Test
  void a_sign_of_life_renews_the_lease_but_never_past_the_progress_deadline() {
    Duration deadline = Duration.ofMinutes(45);
    Lease l = Lease.taken(alice, "tok", T0, LEASE);

    Lease at10 = l.kept(T0.plus(Duration.ofMinutes(10)), LEASE, deadline);
    Lease at40 = at10.kept(T0.plus(Duration.ofMinutes(40)), LEASE, deadline);

    assertThat(at10.until()).isEqualTo(T0.plus(Duration.ofMinutes(10)).plus(LEASE));
    assertThat(at40.until()).isEqualTo(T0.plus(deadline));
    assertThat(at40.progressAt()).isEqualTo(T0);
    assertThat(at40.kept(T0.plus(Duration.ofMinutes(44)), LEASE, deadline)).isEqualTo(at40);
  }

  @Test
  void a_sign_of_life_never_moves_a_lease_back() {
    Lease l = Lease.taken(alice, "tok", T0, LEASE);

    assertThat(l.kept(T0.minusSeconds(30), LEASE, Duration.ofMinutes(45))).isEqualTo(l);
  }

  @Test
  void progress_restarts_both_the_lease_and_the_deadline() {
    Instant later = T0.plus(Duration.ofMinutes(30));

    Lease l = Lease.taken(alice, "tok", T0, LEASE).progressed(later, LEASE);

    assertThat(l).isEqualTo(new Lease(alice, "tok", later.plus(LEASE), later));
    assertThat(l.progressDue(Duration.ofMinutes(45))).isEqualTo(later.plus(Duration.ofMinutes(45)));
  }

  @Test
  void an_old_lease_without_a_progress_time_starts_its_deadline_at_the_next_sign_of_life() {
    Instant later = T0.plus(Duration.ofMinutes(3));

    Lease l = new Lease(alice, "tok", T0.plus(LEASE)).kept(later, LEASE, Duration.ofMinutes(45));

    assertThat(l.progressAt()).isEqualTo(later);
    assertThat(l.until()).isEqualTo(later.plus(LEASE));
  }

  @Test
  void a_resumed_session_adopts_the_claim_with_its_token_attempt_and_deadline() {
    Holder resumed = new Holder("alice", "host", 99, 9);
    Task held = fresh(3).claimed(alice, "tok", T0, LEASE);
    Instant later = T0.plus(Duration.ofMinutes(20));

    Task t = held.adoptedBy(resumed, later, LEASE, Duration.ofMinutes(45));

    assertThat(t.lease()).isEqualTo(new Lease(resumed, "tok", T0.plus(Duration.ofMinutes(35)), T0));
    assertThat(t.attempt()).isEqualTo(held.attempt());
  }
}
