package dev.taskq.core;

/** Why a token no longer holds its task, told so the agent knows what happened and what to do. */
public final class StaleClaim {
  private StaleClaim() {}

  /** The FENCED error for a token that does not hold {@code current} (the task as it is now). */
  public static TaskqException fenced(Task current) {
    String why =
        switch (current.state()) {
          case COMPLETED -> "the task was already completed at " + current.finished();
          case FAILED ->
              current.isCancelled()
                  ? "the task was cancelled (" + current.reason() + ")"
                  : "the task has failed (" + current.reason() + ")";
          case PENDING ->
              "the claim ended (lease expired, released, or requeued) and the task is"
                  + " back in pending";
          case IN_PROGRESS ->
              "the claim ended and attempt "
                  + current.attempt()
                  + " by "
                  + current.lease().holder().label()
                  + " holds it now (lease until "
                  + current.lease().until()
                  + ")";
        };
    return TaskqException.fenced("your claim on " + current.id() + " is no longer valid: " + why);
  }
}
