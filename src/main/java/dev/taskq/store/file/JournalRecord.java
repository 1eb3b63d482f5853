package dev.taskq.store.file;

import dev.taskq.core.Task;
import java.util.List;
import java.util.Map;

/**
 * One line of {@code .taskq/journal-<gen>.log}. A change is written as a {@code begin} (what the
 * index will hold afterwards, and the log lines it appends) before any file is touched, and as a
 * {@code commit} (with the state folders' modification times) after. Other processes apply a change
 * when they read its commit; a begin with no commit is an operation cut short by a crash, which the
 * next lock holder finishes or undoes.
 *
 * @param seq the change number (begin and commit share it)
 * @param commit true for the commit line
 * @param put index entries after the change
 * @param del ids no longer in the queue
 * @param bad files found corrupt
 * @param good paths no longer corrupt
 * @param log lines the change appends to log.txt
 * @param undoable true when an interrupted change must be undone (an enqueue batch is all or none)
 * @param mtimes the state folders' modification times after the change (commit only)
 * @param stamps the stamps of the task files the change wrote or read, by id (commit only; may be
 *     empty)
 */
record JournalRecord(
    long seq,
    boolean commit,
    List<Task> put,
    List<String> del,
    List<CorruptFile> bad,
    List<String> good,
    List<String> log,
    boolean undoable,
    List<Long> mtimes,
    Map<String, Stamp> stamps) {

  static JournalRecord begin(
      long seq,
      List<Task> put,
      List<String> del,
      List<CorruptFile> bad,
      List<String> good,
      List<String> log,
      boolean undoable) {
    return new JournalRecord(seq, false, put, del, bad, good, log, undoable, null, null);
  }

  static JournalRecord commit(long seq, List<Long> mtimes) {
    return commit(seq, mtimes, Map.of());
  }

  static JournalRecord commit(long seq, List<Long> mtimes, Map<String, Stamp> stamps) {
    return new JournalRecord(seq, true, null, null, null, null, null, false, mtimes, stamps);
  }

  Map<String, Stamp> stampsOrEmpty() {
    return stamps == null ? Map.of() : stamps;
  }

  List<Task> putOrEmpty() {
    return put == null ? List.of() : put;
  }

  List<String> delOrEmpty() {
    return del == null ? List.of() : del;
  }

  List<CorruptFile> badOrEmpty() {
    return bad == null ? List.of() : bad;
  }

  List<String> goodOrEmpty() {
    return good == null ? List.of() : good;
  }

  List<String> logOrEmpty() {
    return log == null ? List.of() : log;
  }
}
