package dev.taskq.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.taskq.core.Holder;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Holder-gone detection against real processes. */
class ProcessIdentityTest {

  @Test
  void this_process_is_alive() {
    Holder me = ProcessIdentity.current("session-1");

    assertThat(me.pid()).isEqualTo(ProcessHandle.current().pid());
    assertThat(me.processStart()).isPositive();
    assertThat(me.host()).isEqualTo(ProcessIdentity.host()).isNotBlank();
    assertThat(me.session()).isEqualTo("session-1");
    assertThat(ProcessIdentity.isAlive(me)).isTrue();
  }

  @Test
  void a_process_that_exited_is_gone() throws Exception {
    Process p = new ProcessBuilder("sleep", "30").start();
    try {
      Holder h = ProcessIdentity.of(p.toHandle(), "child");
      assertThat(ProcessIdentity.isAlive(h)).isTrue();

      p.destroyForcibly();
      assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();

      assertThat(ProcessIdentity.isAlive(h)).isFalse();
    } finally {
      p.destroyForcibly();
    }
  }

  @Test
  void the_same_pid_with_another_start_time_is_a_reused_pid_and_so_gone() {
    Holder me = ProcessIdentity.current("s");
    Holder earlier = new Holder("s", me.host(), me.pid(), me.processStart() - 1_000);

    assertThat(ProcessIdentity.isAlive(earlier)).isFalse();
  }

  @Test
  void a_holder_on_another_host_cannot_be_checked_so_counts_as_alive() {
    Holder remote = new Holder("s", "some-other-host.invalid", 999_999_999L, 1);

    assertThat(ProcessIdentity.isAlive(remote)).isTrue();
  }
}
