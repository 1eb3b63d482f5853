/**
 * The file store: the queue as a folder of Markdown files, shared by any number of processes on one
 * host. It implements {@link dev.taskq.store.Storage}; the queue's rules are in {@link
 * dev.taskq.store.Queue}, and this package keeps only what is really its own: the lock, the
 * journal, the in-memory index, the files and crash recovery.
 *
 * <h2>One claim, from the call to the fsync</h2>
 *
 * <ol>
 *   <li>{@code Queue.claimNext(holder, lane)} checks the holder and the lane, draws a fencing token
 *       ({@code Tokens}) and asks the storage for a {@code ClaimSpec(holder, lane, token, lease)}.
 *   <li>{@link FileStorage#claim} runs under the queue lock: {@link QueueLock#lock} takes the
 *       in-JVM lock, then the {@code FileChannel} lock on {@code .taskq/lock} (tryLock first; if
 *       another process has it, a wait in the kernel's queue bounded by 30 s, whose error names the
 *       holder the lock file names), and writes this process's pid and the time into the lock file.
 *   <li>{@link IndexSync#catchUp} brings this process's {@link QueueIndex} up to date: it reads
 *       only the journal lines other processes appended since its last look ({@link Journal},
 *       {@link JournalCodec}), applies each committed change, settles a change a crash cut short
 *       ({@link CrashRecovery}), and rescans a state folder only when its modification time differs
 *       from the last commit's ({@link FolderScan}: a person's edit, a dropped file).
 *   <li>The storage takes the clock's now, fails the tasks whose claim ended on their last attempt,
 *       and picks the best candidate: {@link QueueIndex#nextReady} (a sorted set, so the cost does
 *       not grow with the queue) against the in-progress tasks whose claim ended ({@code
 *       ClaimEnd.why}: lease passed, or {@link HolderLiveness} says the holder's process is gone).
 *   <li>{@link IndexSync#readOrForget} reads the candidate's file ({@link QueueFolder#readTask}:
 *       bounded, never through a symbolic link, front matter by {@link FastYamlReader}); a file
 *       that vanished or cannot be read corrects the index and the loop takes the next candidate. A
 *       task whose claim ended is first written back to {@code pending/} (its EXPIRED line with
 *       it), so that every claim creates its in-progress file the same way.
 *   <li>{@code Task.claimed(holder, token, now, lease)} makes the next version (attempt + 1, rev +
 *       1) and {@code Events.claimed} its log line. {@link IndexSync#change} then, still under the
 *       lock: stages {@code in-progress/<id>.md} ({@link DurableFiles#stage}: a temp file in {@code
 *       .taskq/tmp}, written and <b>fsynced</b>, the one fsync a claim makes under the lock);
 *       checks the lock file is still the one it locked ({@link QueueLock#ensureStillHeld});
 *       hard-links the temp file into {@code in-progress/}, which fails if another claim of the
 *       same task got there first (possible only if someone deleted the lock file); appends the
 *       journal's <i>begin</i> record (the index entries and log lines to come); removes {@code
 *       pending/<id>.md}; appends the log lines to {@code log.txt} in one write ({@link EventLog});
 *       appends the <i>commit</i> record with the folders' new modification times; and updates the
 *       index.
 *   <li>The lock is released; then {@link DurableFiles#syncDirs} fsyncs the folders whose entries
 *       changed ({@code in-progress/}, {@code pending/}), outside the lock so that processes
 *       overlap these fsyncs, but before the caller hears of the claim; {@link ChangeSignal} wakes
 *       this JVM's waiters.
 *   <li>{@code Queue} reads the resume packet (the latest checkpoint, the task's recent log lines)
 *       and answers with the claim.
 * </ol>
 *
 * <p>A process killed at any point leaves a queue the next lock holder settles: before the link,
 * only a temp file (removed when a process next loads the queue); after it, the task is in two
 * folders and the higher rev wins ({@link FolderScan#settle}); a <i>begin</i> without its
 * <i>commit</i> is finished or undone from the files, its missing log lines appended ({@link
 * CrashRecovery}).
 *
 * <p>Holders' writes (checkpoint, complete, log with a token) take another path to the same place:
 * {@link FileStorage#update} stages and fsyncs their files <i>before</i> taking the lock, and under
 * it only renames them into place if the task's rev is unchanged, so other sessions' claims do not
 * wait behind someone else's fsync.
 */
package dev.taskq.store.file;
