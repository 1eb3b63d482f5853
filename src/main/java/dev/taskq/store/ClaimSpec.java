package dev.taskq.store;

import dev.taskq.core.Holder;
import java.time.Duration;

/**
 * What a claim asks the storage for: a task for {@code holder}, of {@code lane} (null: any), to be
 * held with {@code token} for {@code lease} from the storage's now.
 */
public record ClaimSpec(Holder holder, String lane, String token, Duration lease) {}
