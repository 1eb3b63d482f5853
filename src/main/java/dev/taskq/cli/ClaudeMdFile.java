package dev.taskq.cli;

import dev.taskq.core.TaskqException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Adds the taskq section (CLAUDE.md.template, shipped in the jar) to a project's CLAUDE.md. The
 * section is wrapped in markers so a second run, or a person who edited the section, is recognised
 * and left alone.
 */
final class ClaudeMdFile {
  static final String BEGIN = "<!-- taskq:begin (added by `taskq init`; edit freely) -->";
  static final String END = "<!-- taskq:end -->";

  /**
   * @param text the new content, or null when the section is already there
   */
  record Plan(Path file, String text, String action) {
    boolean changes() {
      return text != null;
    }
  }

  private ClaudeMdFile() {}

  static Plan plan(Path file, String template) {
    String current = "";
    if (Files.exists(file)) {
      try {
        current = Files.readString(file, StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw TaskqException.storeError(file + " cannot be read: " + e.getMessage(), e);
      }
      if (hasSection(current, template)) {
        return new Plan(file, null, "unchanged");
      }
    }
    StringBuilder sb = new StringBuilder(current);
    if (!current.isEmpty()) {
      if (!current.endsWith("\n")) {
        sb.append('\n');
      }
      sb.append('\n');
    }
    sb.append(BEGIN).append('\n').append(template.strip()).append('\n').append(END).append('\n');
    return new Plan(file, sb.toString(), current.isEmpty() ? "created" : "added");
  }

  /** Our markers, or the template's heading, mean someone already added the section. */
  static boolean hasSection(String text, String template) {
    if (text.contains("<!-- taskq:begin")) {
      return true;
    }
    String heading = template.strip().lines().findFirst().orElse("").strip();
    return heading.startsWith("#") && text.lines().anyMatch(l -> l.strip().equals(heading));
  }

  /** The template the jar carries (CLAUDE.md.template at the repository root), or null. */
  static String template() {
    try (InputStream in = ClaudeMdFile.class.getResourceAsStream("/CLAUDE.md.template")) {
      return in == null ? null : new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw TaskqException.storeError("cannot read CLAUDE.md.template: " + e.getMessage(), e);
    }
  }
}
