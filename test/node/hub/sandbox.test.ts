/**
 * The sandbox as a newcomer uses it: the hub under `wrangler dev`, the emulator's demo forum, GitHub
 * deliveries in, and /status and /repin typed in the mobile-app topic through /__emulator/send,
 * which Telegram-style delivers them to the hub's webhook.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import examples from "@octokit/webhooks-examples/api.github.com/index.json" with { type: "json" };
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SANDBOX_BOT, SANDBOX_CHAT_ID, SANDBOX_TOPICS } from "../../../emulator/sandbox.ts";
import { SANDBOX_GITHUB_SECRET, SANDBOX_TELEGRAM_SECRET, type Sandbox, startSandbox } from "../../../scripts/sandbox.ts";
import { eventually, freePort, postDelivery, signBody } from "./helpers.ts";

interface Message {
  message_id: number;
  message_thread_id: number | null;
  from: { id: number; is_bot: boolean };
  text: string;
  deleted: boolean;
  service?: string;
  reply_to_message_id?: number;
  reply_markup?: unknown;
}

interface State {
  chats: Array<{ id: number; topics: Array<{ message_thread_id: number; pinned_message_ids: number[] }>; messages: Message[] }>;
}

const THREAD = SANDBOX_TOPICS["mobile-app"];
let sandbox: Sandbox;
let persistTo: string;

async function forum() {
  const state = (await (await fetch(`${sandbox.emulatorUrl}/__emulator/state`)).json()) as State;
  const chat = state.chats.find((c) => c.id === SANDBOX_CHAT_ID)!;
  const pinned = new Set(chat.topics.find((t) => t.message_thread_id === THREAD)!.pinned_message_ids);
  const live = chat.messages.filter((m) => !m.deleted && m.message_thread_id === THREAD);
  const cards = live.filter((m) => m.from.is_bot && m.reply_markup !== undefined);
  return { live, cards, pinnedCards: cards.filter((m) => pinned.has(m.message_id)) };
}

async function type(text: string, from = { id: 100, username: "alice" }): Promise<number> {
  const response = await fetch(`${sandbox.emulatorUrl}/__emulator/send`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ chat_id: SANDBOX_CHAT_ID, message_thread_id: THREAD, from, text }),
  });
  const sent = (await response.json()) as { message: { message_id: number }; delivered: boolean; status?: number };
  expect(sent.delivered).toBe(true);
  expect(sent.status).toBe(200);
  return sent.message.message_id;
}

async function replyTo(messageId: number): Promise<Message> {
  return eventually(async () => (await forum()).live.find((m) => m.from.is_bot && m.reply_to_message_id === messageId), 10_000, `a reply to ${messageId}`);
}

beforeAll(async () => {
  persistTo = await mkdtemp(join(tmpdir(), "tgk-sandbox-"));
  sandbox = await startSandbox({
    hubPort: await freePort(),
    emulatorPort: await freePort(),
    persistTo,
    hubOutput: "capture",
    vars: { DEBOUNCE_MS: "300", MAX_WAIT_MS: "3000" },
  });
}, 120_000);

afterAll(async () => {
  await sandbox?.stop();
  await rm(persistTo, { recursive: true, force: true });
});

describe("sandbox", () => {
  it("answers /status and /repin in the mobile-app topic", { timeout: 60_000 }, async () => {
    const payload = structuredClone(examples.find((e) => e.name === "pull_request")!.examples[0]) as Record<string, any>;
    payload.pull_request.title = "Sandbox pull request";
    expect((await postDelivery(sandbox.hubUrl, "mobile-app", "pull_request", payload, SANDBOX_GITHUB_SECRET)).status).toBe(200);
    const first = await eventually(async () => {
      const view = await forum();
      return view.pinnedCards.length === 1 && view.pinnedCards[0]!.text.includes("Sandbox pull request") ? view : undefined;
    }, 20_000, "the first card");

    const status = await replyTo(await type("/status"));
    expect(status.text).toContain("Stream mobile-app");
    expect(status.text).toContain("Last delivery: pull_request opened");

    const repin = await replyTo(await type("/repin"));
    expect(repin.text).toContain("Repinning the mobile-app card now.");
    const after = await eventually(async () => {
      const view = await forum();
      const moved = view.pinnedCards.length === 1 && view.cards.length === 1 && view.pinnedCards[0]!.message_id !== first.pinnedCards[0]!.message_id;
      return moved ? view : undefined;
    }, 20_000, "the repinned card");
    expect(after.pinnedCards[0]!.text).toContain("Sandbox pull request");

    // The bot deletes its own "pinned a message" service messages.
    const services = await eventually(async () => {
      const pins = (await forum()).live.filter((m) => m.service === "pinned");
      return pins.length === 0 ? pins : undefined;
    }, 10_000, "the pin service messages to be deleted");
    expect(services).toHaveLength(0);
  });

  it("refuses /repin from a plain member", { timeout: 30_000 }, async () => {
    const reply = await replyTo(await type("/repin", { id: 200, username: "bob" }));
    expect(reply.text).toContain("Only chat admins");
  });

  it("logs JSON lines without any secret", async () => {
    const bad = JSON.stringify({ zen: "x" });
    await fetch(`${sandbox.hubUrl}/github/mobile-app`, {
      method: "POST",
      headers: { "x-github-event": "ping", "x-github-delivery": "d-1", "x-hub-signature-256": signBody(bad, "wrong-secret") },
      body: bad,
    });
    await fetch(`${sandbox.hubUrl}/telegram`, { method: "POST", headers: { "x-telegram-bot-api-secret-token": "wrong" }, body: "{}" });

    const logs = sandbox.output.join("\n");
    expect(logs).toContain('"msg":"delivery stored"');
    expect(logs).toContain('"msg":"card published"');
    for (const secret of [SANDBOX_GITHUB_SECRET, SANDBOX_TELEGRAM_SECRET, SANDBOX_BOT.token, SANDBOX_BOT.token.split(":")[1]!]) {
      expect(logs).not.toContain(secret);
    }
    expect(logs).not.toMatch(/sha256=[0-9a-f]{64}/);
  });
});
