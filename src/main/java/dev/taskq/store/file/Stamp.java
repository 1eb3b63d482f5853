package dev.taskq.store.file;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.concurrent.TimeUnit;

/**
 * A task file as taskq last wrote or read it: modification time, size and file identity. A file
 * whose stamp on disk differs was changed outside taskq (an editor, {@code sed -i}), so a rescan
 * reads it again; every other file is skipped, which keeps rescans cheap.
 *
 * @param mtime modification time in nanoseconds
 * @param key a hash of the file's identity (device and inode on Linux): a save by rename makes a
 *     new file even when time and size look the same
 */
record Stamp(long mtime, long size, long key) {

  /** The stamp of {@code p} now, or null when it is absent or not a regular file. */
  static Stamp of(Path p) throws IOException {
    try {
      BasicFileAttributes a =
          Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
      if (!a.isRegularFile()) {
        return null;
      }
      Object k = a.fileKey();
      return new Stamp(
          a.lastModifiedTime().to(TimeUnit.NANOSECONDS), a.size(), k == null ? 0 : k.hashCode());
    } catch (NoSuchFileException e) {
      return null;
    }
  }
}
