package dev.taskq;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The packages keep their layers (TEAM.md, shared decision 1), read from the sources' imports and
 * fully qualified names: core depends on nothing of ours; the store API and its rules on core only;
 * a store's own package on the store API and core; adapters (cli, mcp, workers, hooks, dashboard)
 * on core, project and the store API, never on a store's package or the rules behind the API; no
 * package cycle. Only the factory names a concrete store.
 */
class LayeringTest {
  private static final Path MAIN = Path.of("src/main/java");
  private static final Pattern PACKAGE = Pattern.compile("(?m)^package (dev\\.taskq[\\w.]*);");
  private static final Pattern REFERENCE =
      Pattern.compile("\\bdev\\.taskq(?:\\.[a-z]\\w*)*\\.[A-Z]\\w*");
  private static final Pattern COMMENT_OR_STRING =
      Pattern.compile("//[^\\n]*|/\\*.*?\\*/|\"(?:\\\\.|[^\"\\\\\\n])*\"", Pattern.DOTALL);

  private static final String FACTORY = "dev.taskq.store.StoreFactory";

  /** The store API an adapter may use; everything else in dev.taskq.store is behind it. */
  private static final Set<String> STORE_API =
      Set.of(
          "dev.taskq.store.TaskStore",
          "dev.taskq.store.StoreConfig",
          "dev.taskq.store.DatabaseUrl",
          "dev.taskq.store.QueueSnapshot",
          "dev.taskq.store.StoreFactory",
          "dev.taskq.store.ProcessIdentity");

  private static final Set<String> ADAPTERS =
      Set.of(
          "dev.taskq.cli",
          "dev.taskq.mcp",
          "dev.taskq.workers",
          "dev.taskq.hooks",
          "dev.taskq.dashboard");

  /** One reference from a source file to a class of ours. */
  record Ref(String file, String fromPackage, String fromClass, String target) {
    String targetPackage() {
      return target.substring(0, target.lastIndexOf('.'));
    }

    @Override
    public String toString() {
      return file + " -> " + target;
    }
  }

  private static List<Ref> refs;

  @BeforeAll
  static void readSources() throws IOException {
    refs = new ArrayList<>();
    try (Stream<Path> files = Files.walk(MAIN)) {
      for (Path f : files.filter(p -> p.toString().endsWith(".java")).sorted().toList()) {
        refs.addAll(references(MAIN.relativize(f).toString(), Files.readString(f)));
      }
    }
  }

  static List<Ref> references(String file, String source) {
    Matcher pm = PACKAGE.matcher(source);
    if (!pm.find()) {
      return List.of();
    }
    String pkg = pm.group(1);
    String name = file.substring(file.lastIndexOf('/') + 1).replace(".java", "");
    String code = COMMENT_OR_STRING.matcher(source).replaceAll(" ");
    Set<String> targets = new TreeSet<>();
    Matcher m = REFERENCE.matcher(code);
    while (m.find()) {
      String t = m.group();
      if (!t.startsWith(pkg + ".") || t.substring(pkg.length() + 1).contains(".")) {
        targets.add(t);
      }
    }
    return targets.stream().map(t -> new Ref(file, pkg, pkg + "." + name, t)).toList();
  }

  @Test
  void the_sources_are_read_and_known_references_are_seen() {
    assertThat(refs).hasSizeGreaterThan(100);
    assertThat(refs)
        .anyMatch(
            r ->
                r.fromClass().equals("dev.taskq.store.StoreFactory")
                    && r.target().equals("dev.taskq.store.file.FileStorage"));
  }

  @Test
  void the_core_depends_on_nothing_of_ours() {
    assertThat(
            violations(
                r ->
                    inside(r.fromPackage(), "dev.taskq.core")
                        && !inside(r.targetPackage(), "dev.taskq.core")))
        .isEmpty();
  }

  @Test
  void the_store_api_and_its_rules_depend_only_on_the_core_and_the_factory_alone_names_a_store() {
    assertThat(
            violations(
                r ->
                    r.fromPackage().equals("dev.taskq.store")
                        && !r.fromClass().equals("dev.taskq.store.StoreFactory")
                        && !inside(r.targetPackage(), "dev.taskq.core")
                        && !r.targetPackage().equals("dev.taskq.store")))
        .isEmpty();
  }

  @Test
  void a_store_depends_only_on_the_store_api_and_the_core() {
    assertThat(
            violations(
                r ->
                    isStorePackage(r.fromPackage())
                        && !inside(r.targetPackage(), "dev.taskq.core")
                        && !r.targetPackage().equals("dev.taskq.store")
                        && !r.targetPackage().equals(r.fromPackage())))
        .isEmpty();
  }

  @Test
  void adapters_use_the_store_only_through_its_api() {
    assertThat(
            violations(
                r ->
                    isAdapter(r.fromPackage())
                        && inside(r.targetPackage(), "dev.taskq.store")
                        && !STORE_API.contains(r.target())))
        .isEmpty();
  }

  @Test
  void the_project_package_stays_below_the_adapters() {
    assertThat(
            violations(
                r ->
                    inside(r.fromPackage(), "dev.taskq.project")
                        && (isAdapter(r.targetPackage()) || isStorePackage(r.targetPackage()))))
        .isEmpty();
  }

  /**
   * The factory is the composition root, in dev.taskq.store by the team's decision: its edges to
   * the concrete stores are the one way down from the API to a store, so they are left out here,
   * and no store may use the factory (which would close a loop of classes).
   */
  @Test
  void no_packages_depend_on_each_other_in_a_cycle() {
    List<Ref> withoutFactory = refs.stream().filter(r -> !r.fromClass().equals(FACTORY)).toList();
    assertThat(cycles(withoutFactory)).isEmpty();
    assertThat(violations(r -> isStorePackage(r.fromPackage()) && r.target().equals(FACTORY)))
        .isEmpty();
  }

  @Test
  void a_forbidden_import_or_name_is_caught() {
    String adapter =
        "package dev.taskq.cli;\n"
            + "import dev.taskq.store.file.FileStorage;\n"
            + "// dev.taskq.store.Queue in a comment does not count\n"
            + "class X { Object o = new dev.taskq.store.Storage[0]; String s = \"dev.taskq.x.Y\"; }";
    List<Ref> found = references("dev/taskq/cli/X.java", adapter);
    assertThat(found)
        .extracting(Ref::target)
        .containsExactlyInAnyOrder("dev.taskq.store.file.FileStorage", "dev.taskq.store.Storage");
    List<Ref> loop =
        List.of(
            new Ref("a", "dev.taskq.a", "dev.taskq.a.A", "dev.taskq.b.B"),
            new Ref("b", "dev.taskq.b", "dev.taskq.b.B", "dev.taskq.a.A"));
    assertThat(cycles(loop)).containsExactly(List.of("dev.taskq.a", "dev.taskq.b"));
  }

  // ------------------------------------------------------------------ helpers

  private static List<Ref> violations(java.util.function.Predicate<Ref> bad) {
    return refs.stream().filter(bad).toList();
  }

  private static boolean inside(String pkg, String root) {
    return pkg.equals(root) || pkg.startsWith(root + ".");
  }

  private static boolean isStorePackage(String pkg) {
    return pkg.startsWith("dev.taskq.store.");
  }

  private static boolean isAdapter(String pkg) {
    return ADAPTERS.stream().anyMatch(a -> inside(pkg, a));
  }

  /** Each package cycle once, as its sorted packages (strongly connected components, Tarjan). */
  static List<List<String>> cycles(List<Ref> refs) {
    Map<String, Set<String>> graph = new TreeMap<>();
    for (Ref r : refs) {
      if (!r.fromPackage().equals(r.targetPackage())) {
        graph.computeIfAbsent(r.fromPackage(), k -> new TreeSet<>()).add(r.targetPackage());
        graph.computeIfAbsent(r.targetPackage(), k -> new TreeSet<>());
      }
    }
    return new Tarjan(graph).components().stream().filter(c -> c.size() > 1).toList();
  }

  private static final class Tarjan {
    private final Map<String, Set<String>> graph;
    private final Map<String, Integer> index = new TreeMap<>();
    private final Map<String, Integer> low = new TreeMap<>();
    private final List<String> stack = new ArrayList<>();
    private final Set<String> onStack = new TreeSet<>();
    private final List<List<String>> out = new ArrayList<>();
    private int next;

    Tarjan(Map<String, Set<String>> graph) {
      this.graph = graph;
    }

    List<List<String>> components() {
      for (String v : graph.keySet()) {
        if (!index.containsKey(v)) {
          visit(v);
        }
      }
      return out;
    }

    private void visit(String v) {
      index.put(v, next);
      low.put(v, next);
      next++;
      stack.add(v);
      onStack.add(v);
      for (String w : graph.get(v)) {
        if (!index.containsKey(w)) {
          visit(w);
          low.put(v, Math.min(low.get(v), low.get(w)));
        } else if (onStack.contains(w)) {
          low.put(v, Math.min(low.get(v), index.get(w)));
        }
      }
      if (low.get(v).equals(index.get(v))) {
        List<String> c = new ArrayList<>();
        String w;
        do {
          w = stack.remove(stack.size() - 1);
          onStack.remove(w);
          c.add(w);
        } while (!w.equals(v));
        c.sort(null);
        out.add(c);
      }
    }
  }
}
