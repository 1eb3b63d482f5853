package dev.taskq.store;

import dev.taskq.core.TaskqException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * A PostgreSQL connection string as people write it: {@code postgresql://user:pass@host:5432/db?
 * sslmode=require} (the URI form psql and libpq accept, {@code postgres://} too) or pgjdbc's own
 * {@code jdbc:postgresql://host:5432/db?user=...}. Parsing only; no I/O.
 *
 * <p>It holds a secret: {@link #toString()} and {@link #redacted()} never show the password, and
 * every error about a URL names the field and the problem, never the URL itself.
 */
public final class DatabaseUrl {
  /** libpq's URI parameters taskq passes on, with pgjdbc's name for each. */
  private static final Map<String, String> LIBPQ_PARAMETERS =
      Map.ofEntries(
          Map.entry("sslmode", "sslmode"),
          Map.entry("sslrootcert", "sslrootcert"),
          Map.entry("sslcert", "sslcert"),
          Map.entry("sslkey", "sslkey"),
          Map.entry("sslpassword", "sslpassword"),
          Map.entry("connect_timeout", "connectTimeout"),
          Map.entry("application_name", "ApplicationName"),
          Map.entry("options", "options"),
          Map.entry("passfile", "pgpassfile"),
          Map.entry("target_session_attrs", "targetServerType"),
          Map.entry("user", "user"),
          Map.entry("password", "password"),
          Map.entry("dbname", "dbname"),
          Map.entry("host", "host"),
          Map.entry("port", "port"));

  private final String field;
  private final List<String> hosts;
  private final String database;
  private final String user;
  private final String password;
  private final Map<String, String> parameters;

  private DatabaseUrl(
      String field,
      List<String> hosts,
      String database,
      String user,
      String password,
      Map<String, String> parameters) {
    this.field = field;
    this.hosts = List.copyOf(hosts);
    this.database = database;
    this.user = user;
    this.password = password;
    this.parameters = Map.copyOf(parameters);
  }

  /**
   * Parses {@code text}; INVALID_ARGUMENT naming {@code field} (e.g. "TASKQ_DATABASE_URL" or
   * "--database-url") when it is not a PostgreSQL URL. The error never repeats the text.
   */
  public static DatabaseUrl parse(String field, String text) {
    if (text == null || text.isBlank()) {
      throw bad(field, "is empty; give postgresql://USER@HOST:5432/DATABASE");
    }
    String s = text.strip();
    boolean jdbc = s.startsWith("jdbc:postgresql://");
    String rest;
    if (jdbc) {
      rest = s.substring("jdbc:postgresql://".length());
    } else if (s.startsWith("postgresql://")) {
      rest = s.substring("postgresql://".length());
    } else if (s.startsWith("postgres://")) {
      rest = s.substring("postgres://".length());
    } else {
      throw bad(
          field,
          "must start with postgresql:// (or jdbc:postgresql://), e.g."
              + " postgresql://USER@HOST:5432/DATABASE");
    }
    String query = "";
    int q = rest.indexOf('?');
    if (q >= 0) {
      query = rest.substring(q + 1);
      rest = rest.substring(0, q);
    }
    String path = "";
    int slash = rest.indexOf('/');
    if (slash >= 0) {
      path = rest.substring(slash + 1);
      rest = rest.substring(0, slash);
    }
    String user = null;
    String password = null;
    int at = rest.lastIndexOf('@');
    if (at >= 0) {
      String info = rest.substring(0, at);
      rest = rest.substring(at + 1);
      int colon = info.indexOf(':');
      user = decode(field, colon < 0 ? info : info.substring(0, colon));
      password = colon < 0 ? null : decode(field, info.substring(colon + 1));
    }
    List<String> hosts = rest.isEmpty() ? List.of() : List.of(rest.split(",", -1));
    for (String h : hosts) {
      checkHost(field, h);
    }
    Map<String, String> params = new LinkedHashMap<>();
    for (String pair : query.isEmpty() ? new String[0] : query.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      String key = decode(field, eq < 0 ? pair : pair.substring(0, eq));
      String value = eq < 0 ? "" : decode(field, pair.substring(eq + 1));
      if (!jdbc && !LIBPQ_PARAMETERS.containsKey(key)) {
        throw bad(
            field,
            "has the parameter '"
                + key
                + "', which taskq does not pass on; use "
                + String.join(", ", LIBPQ_PARAMETERS.keySet().stream().sorted().toList()));
      }
      params.put(jdbc ? key : LIBPQ_PARAMETERS.get(key), value);
    }
    if (params.containsKey("user")) {
      user = params.remove("user");
    }
    if (params.containsKey("password")) {
      password = params.remove("password");
    }
    String database = decode(field, path);
    if (params.containsKey("dbname")) {
      database = params.remove("dbname");
    }
    if (params.containsKey("host")) {
      String h = params.remove("host");
      if (h.startsWith("/")) {
        throw bad(field, "names a Unix socket folder; taskq connects over TCP: give HOST:PORT");
      }
      hosts = List.of(h + (params.containsKey("port") ? ":" + params.remove("port") : ""));
    }
    if (hosts.isEmpty()) {
      hosts = List.of("localhost");
    }
    String port = params.remove("port");
    if (port != null) {
      hosts =
          hosts.stream()
              .map(h -> h.contains(":") && !h.endsWith("]") ? h : h + ":" + port)
              .toList();
    }
    if (database.isEmpty()) {
      database = user != null ? user : "postgres";
    }
    return new DatabaseUrl(field, hosts, database, user, password, params);
  }

  /** The URL for pgjdbc, without user or password (those go in {@link #properties}). */
  public String jdbcUrl() {
    return "jdbc:postgresql://" + String.join(",", hosts) + "/" + encode(database);
  }

  /**
   * Connection properties for pgjdbc: user, password (when the URL has one; else pgjdbc reads
   * {@code PGPASSFILE} or {@code ~/.pgpass}) and the URL's parameters.
   */
  public Properties properties() {
    Properties p = new Properties();
    parameters.forEach(p::setProperty);
    if (user != null) {
      p.setProperty("user", user);
    } else if (!p.containsKey("user")) {
      p.setProperty("user", System.getProperty("user.name", "postgres"));
    }
    if (password != null) {
      p.setProperty("password", password);
    }
    return p;
  }

  /** True when the URL itself carries a password (which must then never be written to a file). */
  public boolean hasPassword() {
    return password != null;
  }

  public String user() {
    return user;
  }

  public String database() {
    return database;
  }

  public List<String> hosts() {
    return hosts;
  }

  /** Where the setting came from, e.g. "TASKQ_DATABASE_URL", for errors. */
  public String field() {
    return field;
  }

  /**
   * The URL for people: {@code postgresql://user@host:5432/db}, never the password nor other
   * parameters (they may hold key paths or passwords too), except sslmode.
   */
  public String redacted() {
    StringBuilder sb = new StringBuilder("postgresql://");
    if (user != null) {
      sb.append(encode(user)).append(password != null ? ":***" : "").append('@');
    }
    sb.append(String.join(",", hosts)).append('/').append(encode(database));
    String ssl = parameters.get("sslmode");
    if (ssl != null) {
      sb.append("?sslmode=").append(ssl);
    }
    return sb.toString();
  }

  @Override
  public String toString() {
    return redacted();
  }

  private static void checkHost(String field, String h) {
    if (h.isEmpty()) {
      throw bad(field, "has an empty host name");
    }
    String port = null;
    if (h.startsWith("[")) {
      int close = h.indexOf(']');
      if (close < 0) {
        throw bad(field, "has an IPv6 address without its closing ]");
      }
      if (close + 1 < h.length()) {
        if (h.charAt(close + 1) != ':') {
          throw bad(field, "has something after an IPv6 address that is not :PORT");
        }
        port = h.substring(close + 2);
      }
    } else {
      int colon = h.indexOf(':');
      if (colon >= 0) {
        port = h.substring(colon + 1);
        if (colon == 0) {
          throw bad(field, "has a port without a host name");
        }
      }
    }
    if (port != null) {
      try {
        int p = Integer.parseInt(port);
        if (p < 1 || p > 65535) {
          throw bad(field, "has port " + p + "; a port is 1 to 65535");
        }
      } catch (NumberFormatException e) {
        throw bad(field, "has a port that is not a number");
      }
    }
  }

  private static String decode(String field, String s) {
    try {
      return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw bad(field, "has a malformed %-escape; write a % in a password as %25");
    }
  }

  private static String encode(String s) {
    StringBuilder sb = new StringBuilder();
    for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
      char c = (char) (b & 0xff);
      if ((c >= 'a' && c <= 'z')
          || (c >= 'A' && c <= 'Z')
          || (c >= '0' && c <= '9')
          || c == '-'
          || c == '_'
          || c == '.'
          || c == '~') {
        sb.append(c);
      } else {
        sb.append('%').append(String.format("%02X", b & 0xff));
      }
    }
    return sb.toString();
  }

  private static TaskqException bad(String field, String problem) {
    return TaskqException.invalid(field, problem);
  }
}
