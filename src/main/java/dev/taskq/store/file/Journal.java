package dev.taskq.store.file;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.taskq.core.Task;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/**
 * The index's shared memory across processes: a snapshot ({@code .taskq/index.json}) plus an
 * append-only journal of changes since ({@code .taskq/journal-<gen>.log}). A process catches up by
 * reading only the journal lines it has not seen, under the queue lock. The journal is derived
 * data: the task files stay the truth, and a lost journal is rebuilt from them.
 */
final class Journal {
  /** Past this size the journal is folded into a new snapshot. */
  static final long ROTATE_BYTES = 16L << 20;

  record Snapshot(
      long gen,
      List<Task> entries,
      List<CorruptFile> corrupt,
      List<Long> mtimes,
      Map<String, Stamp> stamps) {}

  private static final JsonMapper JSON =
      JsonMapper.builder()
          .changeDefaultPropertyInclusion(
              i ->
                  i.withValueInclusion(JsonInclude.Include.NON_NULL)
                      .withContentInclusion(JsonInclude.Include.NON_NULL))
          .build();

  private final Path dir;
  private final Path snapshotPath;
  private FileChannel channel;
  private long gen;
  private long offset;
  private Object snapshotKey;
  private boolean garbled;

  Journal(Path metaDir) {
    this.dir = metaDir;
    this.snapshotPath = metaDir.resolve("index.json");
  }

  long gen() {
    return gen;
  }

  /** True when another process wrote a new snapshot since we loaded ours. */
  boolean snapshotChanged() throws IOException {
    return !Objects.equals(snapshotKey, keyOf(snapshotPath));
  }

  /** The current snapshot, or null when there is none or it cannot be read. */
  Snapshot loadSnapshot() throws IOException {
    Object key = keyOf(snapshotPath);
    if (key == null) {
      return null;
    }
    try {
      Snapshot s = JSON.readValue(Files.readAllBytes(snapshotPath), Snapshot.class);
      snapshotKey = key;
      openJournal(s.gen());
      return s;
    } catch (JacksonException | NoSuchFileException e) {
      return null;
    }
  }

  /** Writes a snapshot of generation gen+1 and starts its empty journal; the old one is removed. */
  void writeSnapshot(Snapshot contents, DurableFiles files) throws IOException {
    long next = Math.max(gen, contents.gen()) + 1;
    Snapshot s =
        new Snapshot(
            next, contents.entries(), contents.corrupt(), contents.mtimes(), contents.stamps());
    Path newJournal = journalPath(next);
    Files.deleteIfExists(newJournal);
    Files.createFile(newJournal);
    files.write(snapshotPath, JSON.writeValueAsBytes(s));
    long old = gen;
    snapshotKey = keyOf(snapshotPath);
    openJournal(next);
    if (old != next) {
      Files.deleteIfExists(journalPath(old));
    }
    removeStrayJournals();
  }

  /** The complete records appended since we last read; a torn last line is cut off. */
  List<JournalRecord> readNew() throws IOException {
    long size = channel.size();
    List<JournalRecord> out = new ArrayList<>();
    if (size <= offset) {
      return out;
    }
    ByteBuffer buf = ByteBuffer.allocate((int) Math.min(size - offset, Integer.MAX_VALUE - 16));
    channel.read(buf, offset);
    byte[] bytes = buf.array();
    int start = 0;
    for (int i = 0; i < buf.position(); i++) {
      if (bytes[i] == '\n') {
        JournalRecord r = parse(bytes, start, i - start);
        if (r == null) {
          garbled = true;
        } else {
          out.add(r);
        }
        start = i + 1;
      }
    }
    offset += start;
    if (start < buf.position()) {
      // A writer died mid-line; we hold the lock, so nobody else is writing: cut it off.
      channel.truncate(offset);
    }
    return out;
  }

  void append(JournalRecord r) throws IOException {
    ByteBuffer buf = ByteBuffer.wrap(JournalCodec.encode(r));
    long pos = channel.size();
    while (buf.hasRemaining()) {
      pos += channel.write(buf, pos);
    }
    offset = pos;
  }

  long size() throws IOException {
    return channel.size();
  }

  void close() {
    try {
      if (channel != null) {
        channel.close();
      }
    } catch (IOException ignored) {
      // closing only
    }
  }

  private static JournalRecord parse(byte[] bytes, int start, int len) {
    try {
      if (len > 0 && bytes[start] == '{') {
        // a JSON line from taskq 0.1.0 (before the tab-separated format): a queue upgraded in
        // place keeps its journal
        return JSON.readValue(bytes, start, len, JournalRecord.class);
      }
      return JournalCodec.decode(bytes, start, len);
    } catch (JacksonException e) {
      return null;
    }
  }

  /**
   * True (once) when a line could not be read. The caller then rescans the folders: the task files
   * are the truth, so a garbled line costs time, never a task.
   */
  boolean takeGarbled() {
    boolean g = garbled;
    garbled = false;
    return g;
  }

  private void openJournal(long g) throws IOException {
    close();
    gen = g;
    offset = 0;
    channel =
        FileChannel.open(
            journalPath(g),
            StandardOpenOption.CREATE,
            StandardOpenOption.READ,
            StandardOpenOption.WRITE);
  }

  private void removeStrayJournals() throws IOException {
    try (var s = Files.newDirectoryStream(dir, "journal-*.log")) {
      for (Path p : s) {
        if (!p.getFileName().toString().equals("journal-" + gen + ".log")) {
          Files.deleteIfExists(p);
        }
      }
    }
  }

  private Path journalPath(long g) {
    return dir.resolve("journal-" + g + ".log");
  }

  private static Object keyOf(Path p) throws IOException {
    try {
      BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class);
      return List.of(String.valueOf(a.fileKey()), a.lastModifiedTime().toMillis(), a.size());
    } catch (NoSuchFileException e) {
      return null;
    }
  }
}
