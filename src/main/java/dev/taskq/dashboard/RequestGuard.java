package dev.taskq.dashboard;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Set;

/**
 * Decides whether a request may reach the queue, before any handler runs. Three checks, in order:
 *
 * <ol>
 *   <li><b>Host</b> must name this server as the browser was told to reach it ({@code
 *       127.0.0.1:PORT} or {@code localhost:PORT}, or the {@code --bind} address). A page on
 *       another site whose name an attacker re-points at 127.0.0.1 (DNS rebinding) sends its own
 *       name here and is refused.
 *   <li><b>The secret</b>, from the {@code token} query parameter (the printed URL) or the cookie
 *       set when that URL was first opened.
 *   <li><b>Origin</b>: a request that carries one must come from this dashboard's own origin; an
 *       action (any method but GET and HEAD) from a browser that says it is cross-site is refused
 *       too. Actions also need a JSON body ({@code Actions}), which a cross-site form cannot send
 *       without a CORS preflight that this server never approves.
 * </ol>
 *
 * No I/O: the server hands in the request's parts.
 */
final class RequestGuard {
  private final Secret secret;
  private final Set<String> hosts;
  private final String cookieName;

  /**
   * @param hosts the accepted {@code Host} values, lower case, with the port (e.g. {@code
   *     127.0.0.1:8123})
   * @param port the listening port: cookies are not separated by port, so the name carries it and
   *     two dashboards on one machine keep their own
   */
  RequestGuard(Secret secret, Set<String> hosts, int port) {
    this.secret = secret;
    this.hosts = Set.copyOf(hosts);
    this.cookieName = "taskq_dashboard_" + port;
  }

  /**
   * What to do with a request.
   *
   * @param status 0 to let it through, else the HTTP status to answer
   * @param reason why it was refused (safe to show: never contains the secret)
   * @param tokenInQuery the secret came in the URL: the page answer sets the cookie and redirects
   *     to a URL without it, so it stays out of the history and of Referer headers
   */
  record Verdict(int status, String reason, boolean tokenInQuery) {
    boolean allowed() {
      return status == 0;
    }
  }

  Verdict check(
      String method,
      String rawQuery,
      String host,
      String origin,
      String secFetchSite,
      String cookieHeader) {
    if (host == null || !hosts.contains(host.trim().toLowerCase(Locale.ROOT))) {
      return refuse(
          "this dashboard answers only to " + String.join(" or ", sorted()) + " (Host header)");
    }
    boolean inQuery = secret.matches(queryParam(rawQuery, "token"));
    if (!inQuery && !secret.matches(cookie(cookieHeader))) {
      return refuse(
          "no valid dashboard secret: open the URL that `taskq dashboard` printed (it carries"
              + " the secret)");
    }
    if (origin != null && !isOwnOrigin(origin)) {
      return refuse("requests from another site are refused (Origin header)");
    }
    boolean action = !method.equals("GET") && !method.equals("HEAD");
    if (action
        && secFetchSite != null
        && !secFetchSite.equals("same-origin")
        && !secFetchSite.equals("none")) {
      return refuse("actions from another site are refused (Sec-Fetch-Site header)");
    }
    return new Verdict(0, null, inQuery);
  }

  /** The Set-Cookie value that lets the browser in without the token in every URL. */
  String cookieHeader() {
    // HttpOnly: no script reads it; SameSite=Strict: no other site's page makes the browser send
    // it.
    return cookieName + "=" + secret.value() + "; Path=/; HttpOnly; SameSite=Strict";
  }

  private boolean isOwnOrigin(String origin) {
    String o = origin.trim().toLowerCase(Locale.ROOT);
    return o.startsWith("http://") && hosts.contains(o.substring("http://".length()));
  }

  private String cookie(String header) {
    if (header == null) {
      return null;
    }
    for (String part : header.split(";")) {
      int eq = part.indexOf('=');
      if (eq > 0 && part.substring(0, eq).trim().equals(cookieName)) {
        return part.substring(eq + 1).trim();
      }
    }
    return null;
  }

  static String queryParam(String rawQuery, String name) {
    if (rawQuery == null) {
      return null;
    }
    for (String pair : rawQuery.split("&")) {
      int eq = pair.indexOf('=');
      String key = eq < 0 ? pair : pair.substring(0, eq);
      if (decode(key).equals(name)) {
        return eq < 0 ? "" : decode(pair.substring(eq + 1));
      }
    }
    return null;
  }

  private static String decode(String s) {
    try {
      return URLDecoder.decode(s, StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return s; // a malformed escape is just a string that matches nothing
    }
  }

  private java.util.List<String> sorted() {
    return hosts.stream().sorted().toList();
  }

  private static Verdict refuse(String reason) {
    return new Verdict(403, reason, false);
  }
}
