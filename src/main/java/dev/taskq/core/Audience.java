package dev.taskq.core;

/**
 * Who reads an error: a model calling a tool (speaks tools and taskq:// URIs, "call again") or a
 * person at a shell (speaks commands: {@code taskq show ID}, "run it again"). Adapters pick one;
 * {@link TaskqException#describe(Audience)} words the next step for it.
 */
public enum Audience {
  MODEL,
  PERSON
}
