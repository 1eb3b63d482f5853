package dev.taskq.cli;

import picocli.CommandLine.IVersionProvider;

/** {@code taskq --version}: this build's version and the Java running it. */
public final class VersionLines implements IVersionProvider {
  @Override
  public String[] getVersion() {
    return new String[] {
      "taskq " + dev.taskq.project.TaskqVersion.current(), "Java " + Runtime.version()
    };
  }
}
