package dev.taskq.mcp;

import io.modelcontextprotocol.spec.McpSchema.ToolAnnotations;
import java.util.Map;

/**
 * One MCP tool: what the model reads (name, description, input schema, annotations) and the code
 * that answers it.
 *
 * @param schema the JSON Schema of the arguments, as JSON text
 */
record ToolRow(
    String name, String description, String schema, ToolAnnotations annotations, Handler handler) {

  /** Answers one call with the text the model reads; throws TaskqException for domain errors. */
  @FunctionalInterface
  interface Handler {
    String call(Map<String, Object> arguments);
  }
}
