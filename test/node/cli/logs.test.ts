import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { JsonObjectSplitter, entriesOfTailEvent, summarizeHubLine } from "../../../cli/logs/tail-format.ts";
import { fakeTools, projectEnv, runTgk, tempDir, tempProject } from "./helpers.ts";

const DELIVERY = "6f1ed002-ab5d-11e9-8e41-0242ac110002";

/** Two tail events as `wrangler tail --format json` prints them: indented, one after another. */
const TAIL_OUTPUT = [
  {
    outcome: "ok",
    scriptName: "tgk-staging",
    eventTimestamp: Date.parse("2026-11-20T10:00:00.000Z"),
    event: { request: { url: "https://tgk-staging.example.workers.dev/github/forum-polish", method: "POST" } },
    logs: [
      {
        level: "log",
        timestamp: Date.parse("2026-11-20T10:00:00.120Z"),
        message: [JSON.stringify({ at: "2026-11-20T10:00:00.120Z", level: "info", msg: "delivery accepted", delivery_id: DELIVERY, event: "pull_request", action: "opened", stream: "forum-polish" })],
      },
      { level: "log", timestamp: Date.parse("2026-11-20T10:00:00.130Z"), message: ["plain text { with a brace"] },
    ],
    exceptions: [],
  },
  {
    outcome: "ok",
    scriptName: "tgk-staging",
    eventTimestamp: Date.parse("2026-11-20T10:00:02.000Z"),
    logs: [
      {
        level: "warn",
        timestamp: Date.parse("2026-11-20T10:00:02.300Z"),
        message: [{ at: "2026-11-20T10:00:02.300Z", level: "warn", msg: "bot api call failed", stream: "mobile-app", chat_id: -1001234567890, message_thread_id: 3, method: "pinChatMessage", outcome: "error", error_code: 400, duration_ms: 87 }],
      },
    ],
    exceptions: [{ name: "TypeError", message: "card is undefined", timestamp: Date.parse("2026-11-20T10:00:02.400Z") }],
  },
]
  .map((event) => JSON.stringify(event, null, 2))
  .join("\n");

describe("tail format", () => {
  it("splits objects across chunks", () => {
    const splitter = new JsonObjectSplitter();
    const objects: string[] = [];
    for (let index = 0; index < TAIL_OUTPUT.length; index += 7) objects.push(...splitter.push(TAIL_OUTPUT.slice(index, index + 7)));
    expect(objects).toHaveLength(2);
    expect(JSON.parse(objects[1] ?? "").exceptions[0].name).toBe("TypeError");
  });

  it("summarizes a hub log line", () => {
    const line = summarizeHubLine({ at: "2026-11-20T10:00:02.300Z", level: "warn", msg: "bot api call failed", stream: "mobile-app", chat_id: -100, message_thread_id: 3, method: "pinChatMessage", outcome: "error", error_code: 400, duration_ms: 87 });
    expect(line).toBe("10:00:02.300 WARN  bot api call failed stream=mobile-app chat=-100/3 method=pinChatMessage outcome=error error=400 87ms");
  });

  it("keeps non-hub output as text", () => {
    const entries = entriesOfTailEvent({ logs: [{ level: "error", timestamp: 0, message: ["boom", { not: "a hub line" }] }] });
    expect(entries.map((entry) => entry.kind)).toEqual(["text", "text"]);
  });
});

describe("tgk logs", () => {
  it("prints one line per hub log line", async () => {
    const project = await tempProject();
    const tools = fakeTools({ "wrangler tail": { stdout: TAIL_OUTPUT } });
    const run = await runTgk(["logs", "--follow"], { cwd: project.root, env: projectEnv(tools) });
    expect(run.exitCode, run.stderr).toBe(0);
    expect(tools.calls().map((call) => call.argv)).toEqual([["tail", "--format", "json"]]);
    const lines = run.stdout.trim().split("\n");
    expect(lines).toEqual([
      `10:00:00.120 INFO  delivery accepted delivery=${DELIVERY} event=pull_request.opened stream=forum-polish`,
      "10:00:00.130 LOG   plain text { with a brace",
      "10:00:02.300 WARN  bot api call failed stream=mobile-app chat=-1001234567890/3 method=pinChatMessage outcome=error error=400 87ms",
      "10:00:02.400 ERROR uncaught TypeError: card is undefined",
    ]);
  });

  it("filters by delivery and prints JSON lines", async () => {
    const project = await tempProject();
    await runTgk(["stage", "create", "staging"], { cwd: project.root, env: projectEnv(fakeTools()) });
    const tools = fakeTools({ "wrangler tail": { stdout: TAIL_OUTPUT } });
    const run = await runTgk(["logs", "--stage", "staging", "--delivery", DELIVERY, "--json"], { cwd: project.root, env: projectEnv(tools) });
    expect(run.exitCode, run.stderr).toBe(0);
    expect(tools.calls().map((call) => call.argv)).toEqual([["tail", "--env", "staging", "--format", "json"]]);
    const lines = run.stdout.trim().split("\n").map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(lines).toHaveLength(1);
    expect(lines[0]?.delivery_id).toBe(DELIVERY);
    expect(lines[0]?.msg).toBe("delivery accepted");
  });

  it("reads saved output with --input", async () => {
    const file = join(tempDir("tail"), "tail.json");
    writeFileSync(file, TAIL_OUTPUT);
    const run = await runTgk(["logs", "--input", file, "--stream", "mobile-app"]);
    expect(run.exitCode, run.stderr).toBe(0);
    expect(run.stdout.trim().split("\n")).toHaveLength(1);
    expect(run.stdout).toContain("method=pinChatMessage");

    const stdin = await runTgk(["logs", "--input", "-"], { stdin: TAIL_OUTPUT });
    expect(stdin.stdout.trim().split("\n")).toHaveLength(4);
  });

  it("stops after --seconds", async () => {
    const project = await tempProject();
    const tools = fakeTools();
    // A fake tail that never exits, so only the timer can stop it.
    writeFileSync(join(tools.bin, "wrangler"), "#!/usr/bin/env node\nsetInterval(() => {}, 1000);\n");
    const started = Date.now();
    const run = await runTgk(["logs", "--seconds", "1"], { cwd: project.root, env: projectEnv(tools) });
    expect(run.exitCode, run.stderr).toBe(0);
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(run.stderr).toContain("no matching log lines");
  });

  it("reports a failed wrangler tail", async () => {
    const project = await tempProject();
    const tools = fakeTools({ "wrangler tail": { stderr: "✘ [ERROR] You are not authenticated.\n", exitCode: 1 } });
    const run = await runTgk(["logs", "--follow"], { cwd: project.root, env: projectEnv(tools) });
    expect(run.exitCode).toBe(1);
    expect(run.stderr).toContain("You are not authenticated.");
    expect(run.stderr).toContain("npx wrangler login");
  });
});
