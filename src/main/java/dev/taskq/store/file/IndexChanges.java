package dev.taskq.store.file;

import dev.taskq.core.Task;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** What a folder scan or a crash recovery found, gathered to be journaled in one change. */
final class IndexChanges {
  final List<Task> put = new ArrayList<>();
  final List<String> del = new ArrayList<>();
  final List<CorruptFile> bad = new ArrayList<>();
  final List<String> good = new ArrayList<>();
  final List<String> lines = new ArrayList<>();
  final Map<String, Stamp> stamps = new HashMap<>();

  boolean isEmpty() {
    return put.isEmpty() && del.isEmpty() && bad.isEmpty() && good.isEmpty() && lines.isEmpty();
  }

  JournalRecord asBegin(long seq) {
    return JournalRecord.begin(seq, put, del, bad, good, lines, false);
  }
}
