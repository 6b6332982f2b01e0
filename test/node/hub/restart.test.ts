/**
 * The runtime dies during a repin (wrangler dev killed with SIGKILL) and starts again on the same
 * storage. The topic must end with one pinned card, no second card, and no delivery lost.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import examples from "@octokit/webhooks-examples/api.github.com/index.json" with { type: "json" };
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { SANDBOX_CHAT_ID, SANDBOX_TOPICS } from "../../../emulator/sandbox.ts";
import { type RunningEmulator, startEmulator } from "../../../emulator/server.ts";
import { SANDBOX_GITHUB_SECRET, type Sandbox, startSandbox } from "../../../scripts/sandbox.ts";
import { eventually, freePort, postDelivery } from "./helpers.ts";

interface EmulatorState {
  chats: Array<{
    id: number;
    topics: Array<{ message_thread_id: number; pinned_message_ids: number[] }>;
    messages: Array<{ message_id: number; message_thread_id: number | null; from: { is_bot: boolean }; text: string; deleted: boolean; service?: string }>;
  }>;
  calls: Array<{ method: string; ok: boolean; error_code: number | null; chat_id?: number }>;
}

const STREAM = "mobile-app";
const THREAD = SANDBOX_TOPICS[STREAM];

let emulator: RunningEmulator;
let persistTo: string;
let hubPort: number;
const hubs: Sandbox[] = [];

async function state(): Promise<EmulatorState> {
  return (await (await fetch(`${emulator.url}/__emulator/state`)).json()) as EmulatorState;
}

async function topicView() {
  const current = await state();
  const chat = current.chats.find((c) => c.id === SANDBOX_CHAT_ID)!;
  const pinned = new Set(chat.topics.find((t) => t.message_thread_id === THREAD)!.pinned_message_ids);
  const cards = chat.messages.filter((m) => !m.deleted && m.from.is_bot && m.message_thread_id === THREAD && m.service === undefined);
  return { cards, pinnedCards: cards.filter((m) => pinned.has(m.message_id)), calls: current.calls };
}

async function startHub(): Promise<Sandbox> {
  const hub = await startSandbox({
    emulatorUrl: emulator.url,
    hubPort,
    persistTo,
    hubOutput: "capture",
    vars: { DEBOUNCE_MS: "200", MAX_WAIT_MS: "2000" },
  });
  hubs.push(hub);
  return hub;
}

beforeAll(async () => {
  emulator = await startEmulator({ port: 0, seed: "sandbox" });
  persistTo = await mkdtemp(join(tmpdir(), "tgk-restart-"));
  hubPort = await freePort();
});

// A failed test must not leave its hub running on the port and storage the next test uses.
afterEach(async () => {
  for (const hub of hubs.splice(0)) await hub.stop();
  await fault({ clear: true });
});

afterAll(async () => {
  await emulator.close();
  await rm(persistTo, { recursive: true, force: true });
});

async function fault(body: Record<string, unknown>): Promise<void> {
  await fetch(`${emulator.url}/__emulator/faults`, {
    method: body.clear === true ? "DELETE" : "POST",
    headers: { "content-type": "application/json" },
    ...(body.clear === true ? {} : { body: JSON.stringify({ chat_id: SANDBOX_CHAT_ID, ...body }) }),
  });
}

function pullRequest(title: string, number: number): Record<string, any> {
  const payload = structuredClone(examples.find((e) => e.name === "pull_request")!.examples[0]) as Record<string, any>;
  payload.pull_request.title = title;
  payload.pull_request.number = number;
  payload.pull_request.updated_at = new Date().toISOString();
  return payload;
}

async function settled(): Promise<Awaited<ReturnType<typeof topicView>>> {
  return eventually(async () => {
    const view = await topicView();
    return view.pinnedCards.length === 1 && view.cards.length === 1 ? view : undefined;
  }, 120_000, "one pinned card and no other card");
}

describe("runtime restart", () => {
  it("resumes a repin killed between send and pin", { timeout: 180_000 }, async () => {
    const hub = await startHub();
    await fault({ method: "pinChatMessage", hang: true });

    const payload = pullRequest("Survives a crash", 1);
    const first = await postDelivery(hub.hubUrl, STREAM, "pull_request", payload, SANDBOX_GITHUB_SECRET);
    expect(first.status).toBe(200);

    // The card is sent and the pin hangs: kill the runtime right there.
    await eventually(async () => ((await state()).calls.some((c) => c.method === "pinChatMessage") ? true : undefined), 30_000, "the pin call");
    await hub.killHub();
    await fault({ clear: true });
    const beforeRestart = await topicView();
    expect(beforeRestart.cards).toHaveLength(1);
    expect(beforeRestart.pinnedCards).toHaveLength(0);

    // A redelivery of the same delivery wakes the agent without changing its state.
    const restarted = await startHub();
    const again = await postDelivery(restarted.hubUrl, STREAM, "pull_request", payload, SANDBOX_GITHUB_SECRET, first.deliveryId);
    expect(again.body.duplicate).toBe(true);

    const view = await settled();
    expect(view.pinnedCards[0]!.text).toContain("Survives a crash");
    // The card sent before the crash was pinned, not sent a second time.
    expect(view.calls.filter((c) => c.method === "sendMessage" && c.ok)).toHaveLength(1);
    expect(view.pinnedCards[0]!.message_id).toBe(beforeRestart.cards[0]!.message_id);
  });

  // Each later step of a repin: the runtime dies while that call hangs, and starts again.
  for (const method of ["sendMessage", "deleteMessage"]) {
    it(`resumes a repin killed during ${method}`, { timeout: 300_000 }, async () => {
      const hub = await startHub();
      const before = (await state()).calls.length;
      const title = `Before ${method}`;
      expect((await postDelivery(hub.hubUrl, STREAM, "pull_request", pullRequest(title, 10), SANDBOX_GITHUB_SECRET)).status).toBe(200);
      await eventually(async () => {
        const view = await topicView();
        return view.pinnedCards.length === 1 && view.cards.length === 1 && view.pinnedCards[0]!.text.includes(title) ? true : undefined;
      }, 90_000, "the first card");

      await fault({ method, hang: true });
      const next = `During ${method}`;
      expect((await postDelivery(hub.hubUrl, STREAM, "pull_request", pullRequest(next, 11), SANDBOX_GITHUB_SECRET)).status).toBe(200);
      await eventually(async () => ((await state()).calls.slice(before).some((c) => c.method === method && c.error_code === null && !c.ok) ? true : undefined), 30_000, `the hanging ${method}`);
      await hub.killHub();
      await fault({ clear: true });

      const restarted = await startHub();
      // Another delivery arrives after the restart, as it would in real life.
      const after = `After ${method}`;
      expect((await postDelivery(restarted.hubUrl, STREAM, "pull_request", pullRequest(after, 12), SANDBOX_GITHUB_SECRET)).status).toBe(200);
      const view = await eventually(async () => {
        const current = await settled();
        return current.pinnedCards[0]!.text.includes(after) ? current : undefined;
      }, 150_000, "the card after the restart");
      // No delivery was lost: all three pull requests are on the card.
      for (const text of [title, next, after]) expect(view.pinnedCards[0]!.text).toContain(text);
    });
  }
});
