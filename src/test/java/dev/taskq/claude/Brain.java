package dev.taskq.claude;

/**
 * The scripted model's behaviour: reads the conversation Claude Code sent and picks the next
 * assistant message. Called on the server's threads, possibly for several sessions at once, so an
 * implementation keeps its state in the conversation (or makes it thread-safe).
 */
@FunctionalInterface
public interface Brain {
  Reply next(Conversation conversation);
}
