package dev.taskq.claude;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opentest4j.TestAbortedException;

/** What the README promises about the Claude Code tests when the binary is missing. */
class ClaudeBinaryTest {
  @TempDir Path dir;

  @Test
  void a_missing_binary_fails_the_test_under_ci_and_says_how_to_install_it() {
    assertThatThrownBy(() -> ClaudeBinary.require(Map.of("CI", "true"), dir.resolve("claude")))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("is missing or not executable")
        .hasMessageContaining("cd interop && npm ci");
  }

  @Test
  void a_missing_binary_skips_the_test_outside_ci() {
    assertThatThrownBy(() -> ClaudeBinary.require(Map.of(), dir.resolve("claude")))
        .isInstanceOf(TestAbortedException.class)
        .hasMessageContaining("cd interop && npm ci");
  }

  @Test
  void a_taskq_claude_that_does_not_run_fails_even_outside_ci() throws Exception {
    Path bad = Files.writeString(dir.resolve("claude"), "#!/bin/sh\necho nope\nexit 3\n");
    Files.setPosixFilePermissions(bad, PosixFilePermissions.fromString("rwxr-xr-x"));
    assertThatThrownBy(() -> ClaudeBinary.require(Map.of("TASKQ_CLAUDE", bad.toString()), bad))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("--version answered 3: nope");
  }

  @Test
  void when_npm_left_the_stub_in_bin_the_platform_packages_binary_is_used() throws Exception {
    Path modules = dir.resolve("node_modules");
    Path bin = Files.createDirectories(modules.resolve(".bin"));
    Path stub =
        Files.writeString(bin.resolve("claude"), "#!/bin/sh\necho 'run the postinstall'\nexit 1\n");
    Files.setPosixFilePermissions(stub, PosixFilePermissions.fromString("rwxr-xr-x"));
    String arch = System.getProperty("os.arch").contains("aarch64") ? "arm64" : "x64";
    Path platform =
        Files.createDirectories(modules.resolve("@anthropic-ai/claude-code-linux-" + arch));
    Path real =
        Files.writeString(platform.resolve("claude"), "#!/bin/sh\necho '2.1.328 (Claude Code)'\n");
    Files.setPosixFilePermissions(real, PosixFilePermissions.fromString("rwxr-xr-x"));
    assertThat(ClaudeBinary.require(Map.of("CI", "true"), stub)).isEqualTo(real.toAbsolutePath());
  }

  @Test
  void a_binary_that_answers_its_version_is_used() throws Exception {
    Path ok = Files.writeString(dir.resolve("claude"), "#!/bin/sh\necho '2.1.328 (Claude Code)'\n");
    Files.setPosixFilePermissions(ok, PosixFilePermissions.fromString("rwxr-xr-x"));
    assertThat(ClaudeBinary.require(Map.of("CI", "true"), ok)).isEqualTo(ok.toAbsolutePath());
  }
}
