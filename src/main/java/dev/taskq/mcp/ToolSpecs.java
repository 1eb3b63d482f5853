package dev.taskq.mcp;

import dev.taskq.core.TaskqException;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.server.McpServerFeatures.SyncToolSpecification;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import io.modelcontextprotocol.spec.McpSchema.Tool;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns tool rows into SDK specs. Results are text only, no structuredContent: Claude Code would
 * show the model only the structured JSON, and a Markdown work packet reads better than escaped
 * JSON. Domain errors become results with isError whose text starts with the code.
 */
final class ToolSpecs {
  private static final Logger log = LoggerFactory.getLogger(ToolSpecs.class);

  private ToolSpecs() {}

  static List<SyncToolSpecification> of(List<ToolRow> rows, McpJsonMapper json) {
    return rows.stream().map(r -> spec(r, json)).toList();
  }

  private static SyncToolSpecification spec(ToolRow row, McpJsonMapper json) {
    Tool tool =
        Tool.builder(row.name(), json, row.schema())
            .description(row.description())
            .annotations(row.annotations())
            .build();
    return SyncToolSpecification.builder()
        .tool(tool)
        .callHandler((ex, req) -> call(row, req.arguments()))
        .build();
  }

  static CallToolResult call(ToolRow row, java.util.Map<String, Object> arguments) {
    try {
      return CallToolResult.builder().addTextContent(row.handler().call(arguments)).build();
    } catch (TaskqException e) {
      return error(e.describe());
    } catch (RuntimeException e) {
      log.error("tool {} failed", row.name(), e);
      return error(
          "STORE_ERROR: "
              + row.name()
              + " failed unexpectedly ("
              + e
              + "); "
              + dev.taskq.core.ErrorCode.STORE_ERROR.hint());
    }
  }

  private static CallToolResult error(String text) {
    return CallToolResult.builder().addTextContent(text).isError(true).build();
  }
}
