// Interop check: the official MCP TypeScript SDK client drives `taskq serve` over stdio.
// Usage: node client.mjs /abs/path/taskq.jar /abs/path/queue-dir
// Prints one JSON line with what it saw; exits 1 with the reason on the first failed check.
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";

const [jar, queueDir] = process.argv.slice(2);
const fail = (why) => {
  console.error("interop check failed: " + why);
  process.exit(1);
};
const check = (ok, why) => ok || fail(why);
const text = (result) => result.content.map((c) => c.text).join("\n");

const transport = new StdioClientTransport({
  command: "java",
  args: ["-jar", jar, "serve"],
  env: { ...process.env, TASKQ_DIR: queueDir },
  stderr: "inherit",
});
const client = new Client({ name: "taskq-interop", version: "1.0.0" });
await client.connect(transport);
const seen = { server: client.getServerVersion() };

const tools = (await client.listTools()).tools.map((t) => t.name).sort();
check(
  JSON.stringify(tools) ===
    JSON.stringify(["append_log", "claim_next", "complete_task", "enqueue_task", "start_workers", "write_checkpoint"]),
  "tools/list: " + tools,
);
seen.tools = tools;

const enq = await client.callTool({
  name: "enqueue_task",
  arguments: {
    tasks: [
      { id: "ts-one", title: "First from TypeScript", criterion: "it is done", lane: "ts" },
      { id: "ts-two", title: "Second", criterion: "also done", after: ["ts-one"] },
    ],
  },
});
check(!enq.isError && text(enq).includes("Enqueued 2 tasks"), "enqueue_task: " + text(enq));

const claim = await client.callTool({ name: "claim_next", arguments: {} });
const packet = text(claim);
const token = /^token: (\S+)$/m.exec(packet)?.[1];
check(!claim.isError && packet.includes("Claimed task ts-one") && token, "claim_next: " + packet);

const cp = await client.callTool({
  name: "write_checkpoint",
  arguments: { id: "ts-one", token, summary: "half way", progress: { done: 1, total: 2 } },
});
check(!cp.isError && text(cp).startsWith("Checkpoint 1 saved"), "write_checkpoint: " + text(cp));

const done = await client.callTool({
  name: "complete_task",
  arguments: { id: "ts-one", token, outcome: "done", result: "done from TypeScript" },
});
check(!done.isError && text(done).startsWith("Completed ts-one"), "complete_task: " + text(done));

const stale = await client.callTool({
  name: "complete_task",
  arguments: { id: "ts-one", token, outcome: "done", result: "again" },
});
check(stale.isError && text(stale).startsWith("FENCED:"), "stale complete_task: " + text(stale));

const queue = await client.readResource({ uri: "taskq://queue" });
const queueText = queue.contents[0].text;
check(/completed 1/.test(queueText) && queueText.includes("ts-two"), "taskq://queue: " + queueText);

const work = await client.getPrompt({ name: "work", arguments: { lane: "ts" } });
const workText = work.messages[0].content.text;
check(workText.includes("claim_next") && workText.includes("\"ts\""), "work prompt: " + workText);

seen.checks = "all passed";
console.log(JSON.stringify(seen));
await client.close();
