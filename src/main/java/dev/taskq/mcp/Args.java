package dev.taskq.mcp;

import dev.taskq.core.TaskqException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads tool arguments with errors that name the field ("tasks[2].title: is required"). The tools
 * check arguments here instead of with the SDK's schema validator: its messages do not start with
 * an error code the model can act on, and loading it costs start-up time.
 */
final class Args {
  private final Map<String, Object> values;
  private final String prefix;

  Args(Map<String, Object> values, String prefix, Set<String> allowed) {
    this.values = values == null ? Map.of() : values;
    this.prefix = prefix;
    for (String key : this.values.keySet()) {
      if (!allowed.contains(key)) {
        throw TaskqException.invalid(
            prefix + key, "is not a known field; allowed: " + String.join(", ", sorted(allowed)));
      }
    }
  }

  /** A string, or null when absent. */
  String text(String name) {
    Object v = values.get(name);
    if (v == null || v instanceof String) {
      return (String) v;
    }
    throw wrongType(name, "a string");
  }

  String requiredText(String name) {
    String v = text(name);
    if (v == null) {
      throw TaskqException.invalid(prefix + name, "is required");
    }
    return v;
  }

  int integer(String name, int absent) {
    Object v = values.get(name);
    if (v == null) {
      return absent;
    }
    if (v instanceof Integer i) {
      return i;
    }
    if (v instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue())) {
      double d = n.doubleValue();
      if (d >= Integer.MIN_VALUE && d <= Integer.MAX_VALUE) {
        return (int) d;
      }
    }
    throw wrongType(name, "a whole number");
  }

  long wholeNumber(String name) {
    Object v = values.get(name);
    if (v instanceof Integer || v instanceof Long) {
      return ((Number) v).longValue();
    }
    if (v == null) {
      throw TaskqException.invalid(prefix + name, "is required");
    }
    throw wrongType(name, "a whole number");
  }

  List<String> texts(String name) {
    List<Object> items = list(name);
    List<String> out = new ArrayList<>(items.size());
    for (int i = 0; i < items.size(); i++) {
      if (!(items.get(i) instanceof String s)) {
        throw TaskqException.invalid(prefix + name + "[" + i + "]", "must be a string");
      }
      out.add(s);
    }
    return out;
  }

  /** A list, empty when absent. */
  @SuppressWarnings("unchecked")
  List<Object> list(String name) {
    Object v = values.get(name);
    if (v == null) {
      return List.of();
    }
    if (v instanceof List<?> l) {
      return (List<Object>) l;
    }
    throw wrongType(name, "an array");
  }

  /** A nested object as Args, or null when absent. */
  Args object(String name, Set<String> allowed) {
    return nested(values.get(name), prefix + name, allowed);
  }

  @SuppressWarnings("unchecked")
  static Args nested(Object v, String path, Set<String> allowed) {
    if (v == null) {
      return null;
    }
    if (v instanceof Map<?, ?> m) {
      return new Args((Map<String, Object>) m, path + ".", allowed);
    }
    throw TaskqException.invalid(path, "must be an object");
  }

  String path(String name) {
    return prefix + name;
  }

  private TaskqException wrongType(String name, String expected) {
    return TaskqException.invalid(prefix + name, "must be " + expected);
  }

  private static List<String> sorted(Set<String> names) {
    return names.stream().sorted().toList();
  }
}
