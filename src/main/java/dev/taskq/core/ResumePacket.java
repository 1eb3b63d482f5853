package dev.taskq.core;

import java.util.List;

/** What an earlier attempt left behind: its latest checkpoint and the task's recent log lines. */
public record ResumePacket(Checkpoint latest, List<String> recentLog) {
  public ResumePacket {
    recentLog = List.copyOf(recentLog);
  }

  public boolean isEmpty() {
    return latest == null && recentLog.isEmpty();
  }
}
