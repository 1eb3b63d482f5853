package dev.taskq.mcp;

import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpSchema.ErrorCodes;
import io.modelcontextprotocol.spec.McpSchema.JSONRPCMessage;
import java.util.List;
import java.util.Map;

/**
 * Turns one inbound line into a JSON-RPC message, or into the error the sender should get. The
 * SDK's own reader gives up on the first bad line; this decides per line so the session survives.
 */
sealed interface Inbound {
  record Message(JSONRPCMessage message) implements Inbound {}

  /**
   * @param id the request id to answer, or null when it cannot be known
   */
  record Rejected(Object id, int code, String message) implements Inbound {}

  static Inbound parse(McpJsonMapper json, String line) {
    Object parsed;
    try {
      parsed = json.readValue(line, Object.class);
    } catch (Exception e) {
      Object id = RequestIdHint.find(line);
      String why =
          String.valueOf(e.getMessage()).contains("depth")
              ? "the JSON is nested deeper than this server reads"
              : "the line is not JSON";
      return new Rejected(id, ErrorCodes.PARSE_ERROR, "Parse error: " + why);
    }
    if (parsed instanceof List) {
      return new Rejected(
          null,
          ErrorCodes.INVALID_REQUEST,
          "Invalid Request: batch arrays are not supported; send one JSON-RPC message per line");
    }
    if (!(parsed instanceof Map<?, ?> map)) {
      return new Rejected(
          null, ErrorCodes.INVALID_REQUEST, "Invalid Request: expected a JSON-RPC object");
    }
    return classify(json, map);
  }

  private static Inbound classify(McpJsonMapper json, Map<?, ?> m) {
    boolean hasId = m.containsKey("id");
    Object id = m.get("id");
    boolean idOk = id instanceof String || id instanceof Integer || id instanceof Long;
    Object answerTo = idOk ? id : null;
    if (!"2.0".equals(m.get("jsonrpc"))) {
      return invalid(answerTo, "\"jsonrpc\" must be \"2.0\"");
    }
    if (hasId && !idOk) {
      return invalid(null, "\"id\" must be a string or an integer");
    }
    Object method = m.get("method");
    Object params = m.get("params");
    if (params != null && !(params instanceof Map)) {
      return invalid(answerTo, "\"params\" must be an object");
    }
    Class<? extends JSONRPCMessage> type;
    if (method != null) {
      if (!(method instanceof String)) {
        return invalid(answerTo, "\"method\" must be a string");
      }
      type = hasId ? McpSchema.JSONRPCRequest.class : McpSchema.JSONRPCNotification.class;
    } else if (hasId && (m.containsKey("result") || m.containsKey("error"))) {
      type = McpSchema.JSONRPCResponse.class;
    } else {
      return invalid(answerTo, "not a request, notification or response (no \"method\")");
    }
    try {
      return new Message(json.convertValue(m, type));
    } catch (RuntimeException e) {
      return invalid(answerTo, "malformed " + type.getSimpleName());
    }
  }

  private static Rejected invalid(Object id, String why) {
    return new Rejected(id, ErrorCodes.INVALID_REQUEST, "Invalid Request: " + why);
  }
}
