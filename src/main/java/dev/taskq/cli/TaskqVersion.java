package dev.taskq.cli;

import java.io.InputStream;
import java.util.Properties;
import picocli.CommandLine.IVersionProvider;

/** The version Maven wrote into the jar; "development build" when run from classes. */
public final class TaskqVersion implements IVersionProvider {
  @Override
  public String[] getVersion() {
    return new String[] {"taskq " + version(), "Java " + Runtime.version()};
  }

  static String version() {
    try (InputStream in =
        TaskqVersion.class.getResourceAsStream("/META-INF/maven/dev.taskq/taskq/pom.properties")) {
      if (in != null) {
        Properties p = new Properties();
        p.load(in);
        return p.getProperty("version", "development build");
      }
    } catch (java.io.IOException e) {
      // fall through: the version is only informative
    }
    return "development build";
  }
}
