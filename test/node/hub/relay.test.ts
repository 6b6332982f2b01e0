/**
 * The stateless fallback (PUBLISH_MODE "relay") that `tgk rollback --stateless` switches a stage to:
 * each delivery becomes its own plain message in the stream's topic, with no card and no agent.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import examples from "@octokit/webhooks-examples/api.github.com/index.json" with { type: "json" };
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SANDBOX_CHAT_ID, SANDBOX_TOPICS } from "../../../emulator/sandbox.ts";
import { SANDBOX_GITHUB_SECRET, type Sandbox, startSandbox } from "../../../scripts/sandbox.ts";
import { freePort, postDelivery } from "./helpers.ts";

interface State {
  chats: Array<{ id: number; messages: Array<{ message_thread_id: number | null; from: { is_bot: boolean }; text: string; reply_markup?: unknown }> }>;
}

let sandbox: Sandbox;
let persistTo: string;

beforeAll(async () => {
  persistTo = await mkdtemp(join(tmpdir(), "tgk-relay-"));
  sandbox = await startSandbox({ hubPort: await freePort(), emulatorPort: await freePort(), persistTo, hubOutput: "capture", vars: { PUBLISH_MODE: "relay" } });
}, 120_000);

afterAll(async () => {
  await sandbox?.stop();
  await rm(persistTo, { recursive: true, force: true });
});

describe("relay mode", () => {
  it("posts one plain message per delivery", async () => {
    for (const title of ["Relay one", "Relay <two> & more"]) {
      const payload = structuredClone(examples.find((e) => e.name === "pull_request")!.examples[0]) as Record<string, any>;
      payload.pull_request.title = title;
      const sent = await postDelivery(sandbox.hubUrl, "forum-polish", "pull_request", payload, SANDBOX_GITHUB_SECRET);
      expect(sent.status).toBe(200);
      expect(sent.body.relayed).toBe(true);
    }

    const state = (await (await fetch(`${sandbox.emulatorUrl}/__emulator/state`)).json()) as State;
    const chat = state.chats.find((c) => c.id === SANDBOX_CHAT_ID)!;
    const messages = chat.messages.filter((m) => m.from.is_bot && m.message_thread_id === SANDBOX_TOPICS["forum-polish"]);
    expect(messages.map((m) => m.text)).toEqual([
      expect.stringContaining("Relay one"),
      expect.stringContaining("Relay <two> & more"),
    ]);
    expect(messages.every((m) => m.reply_markup === undefined)).toBe(true);
  });

  it("answers 404 for a stream without a topic", async () => {
    const payload = examples.find((e) => e.name === "pull_request")!.examples[0];
    const sent = await postDelivery(sandbox.hubUrl, "no-such-stream", "pull_request", payload, SANDBOX_GITHUB_SECRET);
    expect(sent.status).toBe(404);
    expect(String(sent.body.error)).toContain("no topic in STREAMS");
  });
});
