package dev.taskq.bench;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * The benchmark's scratch folder: queue directories, server stderr logs. It sits on the same disk
 * as the project (not /tmp, which may be RAM), so fsync costs what it costs for a user.
 */
record Workspace(Path root) {

  static Workspace at(Path root) throws IOException {
    Path abs = root.toAbsolutePath().normalize();
    delete(abs);
    Files.createDirectories(abs.resolve("logs"));
    return new Workspace(abs);
  }

  /** An empty directory named {@code name}, removed first if a previous step left it. */
  Path fresh(String name) throws IOException {
    Path p = root.resolve(name);
    delete(p);
    Files.createDirectories(p);
    return p;
  }

  Path log(String name) {
    return root.resolve("logs").resolve(name + ".err");
  }

  /** The java launcher of this JVM. */
  String javaBinary() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  static void delete(Path p) throws IOException {
    if (!Files.exists(p)) {
      return;
    }
    Files.walkFileTree(
        p,
        new SimpleFileVisitor<>() {
          @Override
          public FileVisitResult visitFile(Path file, BasicFileAttributes attrs)
              throws IOException {
            Files.delete(file);
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
            Files.delete(dir);
            return FileVisitResult.CONTINUE;
          }
        });
  }
}
