package dev.taskq.reliability;

import dev.taskq.core.TaskState;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * What a queue directory holds, read straight from the files (not through the store), so a test can
 * check the store's answers against the disk.
 */
final class QueueOnDisk {
  private static final YAMLMapper YAML = new YAMLMapper();
  private static final Pattern DONE = Pattern.compile("^\\S+ DONE: (\\S+) ");
  private static final Pattern CHECKPOINT = Pattern.compile("^(.+)-(\\d+)\\.md$");

  /** One {@code <state>/<id>.md} file and its front matter (empty when it has none). */
  record TaskFileOnDisk(TaskState state, String id, Map<String, Object> front) {
    long number(String key) {
      Object v = front.get(key);
      return v == null ? 0 : Long.parseLong(String.valueOf(v));
    }
  }

  /** Front matter key set when a file could not be read as YAML (hostile files). */
  static final String UNREADABLE = "(unreadable)";

  final Map<String, List<TaskFileOnDisk>> tasks = new TreeMap<>();
  final Map<String, Integer> doneLines = new HashMap<>();
  final List<String> logLines = new ArrayList<>();
  final Map<String, TreeSet<Integer>> checkpoints = new HashMap<>();
  final List<Path> tempFiles = new ArrayList<>();

  static QueueOnDisk read(Path dir) throws IOException {
    QueueOnDisk q = new QueueOnDisk();
    for (TaskState s : TaskState.values()) {
      Path d = dir.resolve(s.folder());
      if (!Files.isDirectory(d)) {
        continue;
      }
      try (Stream<Path> files = Files.list(d)) {
        for (Path p : files.sorted().toList()) {
          String name = p.getFileName().toString();
          if (!name.endsWith(".md") || !Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
            continue;
          }
          String id = name.substring(0, name.length() - 3);
          q.tasks
              .computeIfAbsent(id, k -> new ArrayList<>())
              .add(new TaskFileOnDisk(s, id, frontMatter(p)));
        }
      }
    }
    Path log = dir.resolve("log.txt");
    if (Files.exists(log)) {
      String all = new String(Files.readAllBytes(log), StandardCharsets.UTF_8);
      for (String line : all.isEmpty() ? new String[0] : all.split("\n")) {
        q.logLines.add(line);
        Matcher m = DONE.matcher(line);
        if (m.find()) {
          q.doneLines.merge(m.group(1), 1, Integer::sum);
        }
      }
    }
    Path cps = dir.resolve("checkpoints");
    if (Files.isDirectory(cps)) {
      try (Stream<Path> files = Files.list(cps)) {
        for (Path p : files.toList()) {
          Matcher m = CHECKPOINT.matcher(p.getFileName().toString());
          if (m.matches()) {
            q.checkpoints
                .computeIfAbsent(m.group(1), k -> new TreeSet<>())
                .add(Integer.parseInt(m.group(2)));
          }
        }
      }
    }
    try (Stream<Path> all = Files.walk(dir)) {
      all.filter(p -> p.getFileName().toString().endsWith(".tmp")).forEach(q.tempFiles::add);
    }
    return q;
  }

  /** The single folder each id is in; fails loudly on an id found in two folders. */
  Map<String, TaskState> stateById() {
    Map<String, TaskState> out = new LinkedHashMap<>();
    tasks.forEach(
        (id, files) -> {
          if (files.size() != 1) {
            throw new AssertionError(
                id + " is in " + files.stream().map(f -> f.state().folder()).toList());
          }
          out.put(id, files.get(0).state());
        });
    return out;
  }

  TaskFileOnDisk only(String id) {
    List<TaskFileOnDisk> files = tasks.get(id);
    if (files == null || files.size() != 1) {
      throw new AssertionError(id + " should be in exactly one folder, found " + files);
    }
    return files.get(0);
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> frontMatter(Path p) throws IOException {
    if (Files.size(p) > 1 << 20) {
      return Map.of(UNREADABLE, "over 1 MB");
    }
    String text = new String(Files.readAllBytes(p), StandardCharsets.UTF_8);
    if (!text.startsWith("---\n")) {
      return Map.of();
    }
    int end = text.indexOf("\n---\n", 3);
    if (end < 0) {
      throw new AssertionError(p + ": front matter not closed (torn file?)");
    }
    try {
      Map<String, Object> m = YAML.readValue(text.substring(4, end + 1), Map.class);
      return m == null ? Map.of() : m;
    } catch (RuntimeException e) {
      return Map.of(UNREADABLE, String.valueOf(e.getMessage()));
    }
  }
}
