import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEmulator, type RunningEmulator } from "../../../emulator/server.ts";
import { fakeTools, parseJson, projectEnv, runTgk, startReceiver, tempProject, type Receiver } from "./helpers.ts";

const TOKEN = "7000000001:sandbox-token";
const CHAT_ID = -1001234567890;

let emulator: RunningEmulator;
let hub: Receiver;
beforeAll(async () => {
  emulator = await startEmulator({ port: 0, seed: "sandbox" });
  hub = await startReceiver("unused");
});
afterAll(async () => {
  await emulator.close();
  await hub.close();
});

async function botApi(method: string, parameters: Record<string, unknown> = {}): Promise<any> {
  const response = await fetch(`${emulator.url}/bot${TOKEN}/${method}`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(parameters) });
  return ((await response.json()) as { result: unknown }).result;
}

/** A wrangler.jsonc whose vars bind the sandbox topics and point at the emulator. */
function wranglerText(streams: Record<string, unknown>): string {
  return [
    "// temporary config for doctor tests",
    "{",
    '  "name": "tgk",',
    '  "main": "src/index.ts",',
    '  "migrations": [{ "tag": "v1", "new_sqlite_classes": ["TopicAgent"] }],',
    `  "vars": { "TELEGRAM_API_ROOT": "${emulator.url}", "BOT_ID": "7000000001", "BOT_USERNAME": "tgk_sandbox_bot", "STREAMS": ${JSON.stringify(streams)} }`,
    "}",
  ].join("\n");
}

describe("tgk setup telegram", () => {
  it("sets the webhook and commands", async () => {
    const run = await runTgk(["setup", "telegram", "--url", hub.url, "--api-root", emulator.url, "--secret", "sandbox-telegram-secret", "--json"], { env: { TELEGRAM_BOT_TOKEN: TOKEN } });
    expect(run.exitCode, run.stderr).toBe(0);

    const info = await botApi("getWebhookInfo");
    expect(info.url).toBe(`${hub.url}/telegram`);
    expect(info.allowed_updates).toEqual(["message", "callback_query", "my_chat_member"]);
    const commands = await botApi("getMyCommands", { scope: { type: "all_group_chats" } });
    expect(commands.map((command: { command: string }) => command.command)).toEqual(["status", "repin", "bind", "unbind", "help"]);

    expect(run.stdout + run.stderr).not.toContain("sandbox-token");
    expect(run.stdout + run.stderr).not.toContain("sandbox-telegram-secret");
    expect(parseJson(run).webhook_url).toBe(`${hub.url}/telegram`);
  });

  it("requires a token and a secret", async () => {
    const noToken = await runTgk(["setup", "telegram", "--url", hub.url, "--api-root", emulator.url, "--secret", "abc"]);
    expect(noToken.exitCode).toBe(2);
    expect(noToken.stderr).toContain("missing bot token");

    const noSecret = await runTgk(["setup", "telegram", "--url", hub.url, "--api-root", emulator.url, "--token", TOKEN]);
    expect(noSecret.exitCode).toBe(2);
    expect(noSecret.stderr).toContain("missing webhook secret");

    const badSecret = await runTgk(["setup", "telegram", "--url", hub.url, "--api-root", emulator.url, "--token", TOKEN, "--secret", "has spaces"]);
    expect(badSecret.exitCode).toBe(2);
    expect(badSecret.stderr).toContain("invalid webhook secret");
  });

  it("reports a rejected token without printing it", async () => {
    const run = await runTgk(["setup", "telegram", "--url", hub.url, "--api-root", emulator.url, "--token", "7000000001:wrong-token", "--secret", "abc"]);
    expect(run.exitCode).toBe(1);
    expect(run.stderr).toContain("setWebhook failed: 401");
    expect(run.stderr).not.toContain("wrong-token");
  });
});

describe("tgk setup github", () => {
  it("prints the hook settings", async () => {
    const project = await tempProject({ wranglerText: wranglerText({ "forum-polish": { chat_id: CHAT_ID, message_thread_id: 2 } }) });
    const run = await runTgk(["setup", "github", "--repo", "acme/widgets", "--stream", "forum-polish", "--url", "https://tgk.example.workers.dev", "--json"], { cwd: project.root });
    expect(run.exitCode, run.stderr).toBe(0);
    const result = parseJson(run);
    expect(result.payload_url).toBe("https://tgk.example.workers.dev/github/forum-polish");
    expect(result.content_type).toBe("application/json");
    expect(result.events).toEqual(["pull_request", "pull_request_review", "push", "check_suite", "check_run", "workflow_run", "status", "release", "deployment_status", "issues"]);
    expect(run.stderr).toBe("");
  });

  it("warns about unknown streams and loopback", async () => {
    const project = await tempProject({ wranglerText: wranglerText({}) });
    const run = await runTgk(["setup", "github", "--repo", "acme/widgets", "--stream", "nowhere"], { cwd: project.root });
    expect(run.exitCode).toBe(0);
    expect(run.stderr).toContain("stream nowhere is not in STREAMS");
    expect(run.stderr).toContain("GitHub cannot deliver to a loopback address");
    expect(run.stdout).toContain("npx wrangler secret put GITHUB_WEBHOOK_SECRET");
  });
});

describe("tgk doctor", () => {
  it("passes on the sandbox forum", async () => {
    await runTgk(["setup", "telegram", "--url", hub.url, "--api-root", emulator.url, "--token", TOKEN, "--secret", "abc"]);
    const project = await tempProject({
      wranglerText: wranglerText({ "forum-polish": { chat_id: CHAT_ID, message_thread_id: 2 }, "mobile-app": { chat_id: CHAT_ID, message_thread_id: 3 } }),
    });
    const run = await runTgk(["doctor", "--json"], { cwd: project.root, env: { TELEGRAM_BOT_TOKEN: TOKEN } });
    expect(run.exitCode, run.stdout + run.stderr).toBe(0);

    const checks = parseJson(run).checks as Array<{ name: string; status: string; detail: string }>;
    const byName = new Map(checks.map((check) => [check.name, check]));
    expect(byName.get("bot")?.status).toBe("ok");
    expect(byName.get("webhook")?.detail).toContain(`${hub.url}/telegram, 0 pending`);
    expect(byName.get(`chat ${CHAT_ID} (forum-polish, mobile-app)`)?.status).toBe("ok");
    expect(byName.get(`chat ${CHAT_ID} (forum-polish, mobile-app) bot rights`)?.detail).toContain("can_pin_messages, can_delete_messages");
    expect(byName.get("stream forum-polish topic")?.status).toBe("unverified");
    expect(byName.get("stream forum-polish topic")?.detail).toContain("no method that reads a forum topic");
    expect(run.stdout).not.toContain("sandbox-token");
  });

  it("fails on an unknown chat", async () => {
    const project = await tempProject({ wranglerText: wranglerText({ "forum-polish": { chat_id: -1009999999999, message_thread_id: 2 } }) });
    const run = await runTgk(["doctor"], { cwd: project.root, env: { TELEGRAM_BOT_TOKEN: TOKEN } });
    expect(run.exitCode).toBe(1);
    expect(run.stdout).toMatch(/\[FAIL\] chat -1009999999999 \(forum-polish\): getChat failed: 400 Bad Request: chat not found/);
    expect(run.stdout).toContain("Add the bot to the chat");
  });

  it("fails on invalid config", async () => {
    const project = await tempProject({ wranglerText: wranglerText({ "forum-polish": { chat_id: "not a number" } }) });
    const run = await runTgk(["doctor"], { cwd: project.root, env: { TELEGRAM_BOT_TOKEN: TOKEN } });
    expect(run.exitCode).toBe(1);
    expect(run.stdout).toMatch(/\[FAIL\] config: .*STREAMS\.forum-polish\.chat_id/);
  });

  it("checks stage secrets through wrangler", async () => {
    const project = await tempProject({ wranglerText: wranglerText({ "forum-polish": { chat_id: CHAT_ID, message_thread_id: 2 } }) });
    const tools = fakeTools({ "wrangler secret list": { stdout: "[]" } });
    const run = await runTgk(["doctor", "--check-secrets"], { cwd: project.root, env: { ...projectEnv(tools), TELEGRAM_BOT_TOKEN: TOKEN } });
    expect(run.exitCode).toBe(1);
    expect(run.stdout).toContain("[FAIL] secrets: missing GITHUB_WEBHOOK_SECRET, TELEGRAM_BOT_TOKEN, TELEGRAM_WEBHOOK_SECRET");
    expect(tools.calls().map((call) => call.argv)).toEqual([["secret", "list", "--format", "json"]]);
  });
});
