package dev.taskq.store.file;

import dev.taskq.core.Checkpoint;
import dev.taskq.core.Progress;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/** A checkpoint as {@code checkpoints/<id>-<n>.md}: front matter for tools, prose for people. */
final class CheckpointFile {
  private static final String FINDINGS = "\n## Findings so far\n\n";
  private static final String NEXT = "\n## Next\n\n";

  private CheckpointFile() {}

  static String fileName(String id, int n) {
    return id + "-" + n + ".md";
  }

  static String render(Checkpoint c) {
    Map<String, Object> f = new LinkedHashMap<>();
    f.put("task", c.taskId());
    f.put("checkpoint", c.n());
    f.put("attempt", c.attempt());
    f.put("at", c.at().toString());
    f.put("holder", c.holder());
    if (c.progress() != null) {
      f.put("progress", c.progress().toString());
    }
    StringBuilder b = new StringBuilder();
    b.append("# Checkpoint ").append(c.n()).append(" of ").append(c.taskId()).append('\n');
    if (c.progress() != null) {
      b.append("Progress: ").append(c.progress()).append('\n');
    }
    b.append('\n').append(c.summary().strip()).append('\n');
    if (!c.findings().isBlank()) {
      b.append(FINDINGS).append(c.findings().strip()).append('\n');
    }
    if (!c.next().isBlank()) {
      b.append(NEXT).append(c.next().strip()).append('\n');
    }
    return FrontMatter.render(f, b.toString());
  }

  static Checkpoint parse(String text) {
    FrontMatter.Parts p = FrontMatter.parse(text);
    Map<String, Object> f = p.fields();
    String body = p.body();
    String next = "";
    int ni = body.indexOf(NEXT);
    if (ni >= 0) {
      next = body.substring(ni + NEXT.length()).strip();
      body = body.substring(0, ni);
    }
    String findings = "";
    int fi = body.indexOf(FINDINGS);
    if (fi >= 0) {
      findings = body.substring(fi + FINDINGS.length()).strip();
      body = body.substring(0, fi);
    }
    String summary = body.replaceFirst("^# Checkpoint [^\\n]*\\n", "");
    summary = summary.replaceFirst("^Progress: [^\\n]*\\n", "").strip();
    Object at = f.get("at");
    return new Checkpoint(
        String.valueOf(f.get("task")),
        ((Number) f.getOrDefault("checkpoint", 0)).intValue(),
        ((Number) f.getOrDefault("attempt", 0)).intValue(),
        at == null ? Instant.EPOCH : Instant.parse(at.toString()),
        String.valueOf(f.getOrDefault("holder", "")),
        summary,
        f.get("progress") == null ? null : Progress.parse(f.get("progress").toString()),
        findings,
        next);
  }
}
