/**
 * The PostgreSQL store: the queue in a database that agents on many machines share, selected by
 * {@code TASKQ_DATABASE_URL}. It implements {@link dev.taskq.store.Storage}; the queue's rules stay
 * in {@link dev.taskq.store.Queue}, and this package keeps only its SQL, its connections and its
 * change signal.
 *
 * <h2>Tables</h2>
 *
 * In schema {@code taskq} (or {@code TASKQ_SCHEMA}), created and migrated by {@link Schema} under
 * an advisory lock: {@code tasks} (one row per task, every field of {@code Task}, keyed by queue
 * and id), {@code checkpoints}, {@code log} (the log lines, in commit order of their sequence),
 * {@code holders} (one row per process that claimed: host, pid, start time) and {@code queues}.
 * Several queues share one database; every row carries its queue's name.
 *
 * <h2>One claim, from the call to the commit</h2>
 *
 * <ol>
 *   <li>{@code Queue.claimNext(holder, lane)} checks the holder and the lane, draws a fencing token
 *       and asks {@link PostgresStorage#claim} for it.
 *   <li>{@link ProcessLink#holderKey} registers the holder's process in {@code holders} (once) and
 *       takes its session-level advisory lock on the process's long-lived connection, unless this
 *       host can see the holder's process has exited.
 *   <li>A pooled connection ({@link Database}) opens a transaction. The first statement fails the
 *       in-progress tasks whose claim ended on their last attempt: picked {@code FOR UPDATE SKIP
 *       LOCKED}, each then written by {@code Task.expired} as one compare-and-set {@code UPDATE …
 *       WHERE id = ? AND rev = ? AND token = ?}.
 *   <li>One statement ({@link Sql#claim}) picks and takes the task: a CTE selects the first pending
 *       task in priority/age/id order whose {@code after} tasks are all completed, and the first
 *       in-progress task whose lease passed ({@code lease_until <= now()}) or whose holder's lock
 *       is free (a shared try-lock on it succeeds: {@link Sql#claimEnded}), each {@code FOR UPDATE
 *       SKIP LOCKED LIMIT 1}, keeps the better of the two, and {@code UPDATE}s it: attempt + 1, the
 *       new holder and token, {@code lease_until = now() + lease} from the database's clock; {@code
 *       RETURNING} the new row, the old one and {@code now()}. The row is checked against {@code
 *       Task.claimed} (one set of rules: a difference is a bug, and rolls back).
 *   <li>{@code Events.claimed} makes the log lines; they are inserted in the same transaction,
 *       which commits (with the server's {@code synchronous_commit}).
 *   <li>After the commit, a second transaction sends {@code NOTIFY} on the queue's channel without
 *       waiting for the disk: a NOTIFY inside the claim's transaction would serialize every commit
 *       of the database behind the notification queue's lock (measured: 7,700 commits/s without,
 *       860 with, 32 clients). Listeners ({@link ProcessLink#await}) wake at once; a watcher that
 *       missed it sees the change by the log's sequence within two seconds.
 *   <li>{@code Queue} reads the resume packet (latest checkpoint, the task's recent log lines).
 * </ol>
 *
 * <p>Holders' writes ({@link PostgresStorage#update}) lock the task's row ({@code SELECT … FOR
 * UPDATE}), run the rule, and write {@code WHERE id = ? AND rev = ? AND token = ?}: a token that no
 * longer holds the task is refused by the rule as FENCED, saying what happened.
 *
 * <p>A lost connection is dropped and the call runs once more on a fresh one (the server rolled the
 * first try back); while the database cannot be reached every call fails at once with STORE_ERROR
 * "database unreachable: …; retry in a minute", and a new connection is tried with a growing pause.
 */
package dev.taskq.store.postgres;
