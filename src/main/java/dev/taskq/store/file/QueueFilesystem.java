package dev.taskq.store.file;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Set;

/** What kind of filesystem holds the queue: taskq's guarantees need a local one. */
public final class QueueFilesystem {
  /** Filesystems where rename and locking may not be atomic, or not shared between hosts. */
  public static final Set<String> NETWORK =
      Set.of(
          "nfs",
          "nfs4",
          "cifs",
          "smb",
          "smbfs",
          "smb2",
          "smb3",
          "afs",
          "ncpfs",
          "9p",
          "fuse.sshfs",
          "sshfs",
          "afpfs",
          "webdav",
          "davfs",
          "fuse.rclone",
          "glusterfs",
          "ceph",
          "fuse.s3fs",
          "lustre",
          "gpfs");

  private QueueFilesystem() {}

  /** The filesystem type of {@code dir} in lower case, or "unknown". */
  public static String type(Path dir) {
    try {
      return Files.getFileStore(dir).type().toLowerCase(Locale.ROOT);
    } catch (IOException | RuntimeException e) {
      return "unknown";
    }
  }

  /** A warning for people and agents when {@code dir} is on a network filesystem, else null. */
  public static String networkWarning(Path dir) {
    String type = type(dir);
    if (!NETWORK.contains(type)) {
      return null;
    }
    return "the queue "
        + dir
        + " is on a network filesystem ("
        + type
        + "): file locks and renames may not be atomic across machines, so two sessions on"
        + " different hosts could claim the same task. Keep the queue on a local disk and share it"
        + " only among sessions on one host";
  }
}
