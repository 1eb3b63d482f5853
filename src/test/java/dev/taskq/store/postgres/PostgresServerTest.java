package dev.taskq.store.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import org.junit.jupiter.api.Test;

/** The fixture leaves nothing running, even after a test JVM that died without cleaning up. */
class PostgresServerTest {

  @Test
  void a_server_left_by_a_test_jvm_that_died_is_stopped_by_the_next_start() throws Exception {
    PostgresServer orphan = PostgresServer.start();
    Process gone = new ProcessBuilder("true").start();
    gone.waitFor();
    Files.writeString(orphan.root().resolve("owner"), gone.pid() + "\n");

    try (PostgresServer next = PostgresServer.start()) {
      assertThat(orphan.root()).as("the orphan's folder").doesNotExist();
      assertThat(accepts(orphan.port())).as("the orphan's port").isFalse();
      assertThat(accepts(next.port())).isTrue();
    }
  }

  private static boolean accepts(int port) {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", port), 2_000);
      return true;
    } catch (java.io.IOException e) {
      return false;
    }
  }
}
