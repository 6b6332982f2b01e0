// End-to-end: `tgk hook simulate` against the local sandbox (hub plus Telegram emulator), then the
// emulator's state. Skipped when scripts/sandbox.ts is missing from the checkout.
import { existsSync } from "node:fs";
import { createServer } from "node:net";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { REPO_ROOT, parseJson, runTgk, tempDir } from "./helpers.ts";

const SANDBOX_MODULE = join(REPO_ROOT, "scripts", "sandbox.ts");
const FORUM_POLISH_THREAD_ID = 2;
const SETTLE_TIMEOUT_MS = 45_000;

interface Sandbox {
  hubUrl: string;
  emulatorUrl: string;
  stop(): Promise<void>;
}

interface EmulatorState {
  chats: Array<{
    id: number;
    topics: Array<{ message_thread_id: number; name: string; pinned_message_ids: number[] }>;
    messages: Array<{ message_id: number; message_thread_id?: number; from: { is_bot: boolean }; text?: string; pinned_message_id?: number; deleted: boolean }>;
  }>;
}

/** Asks the OS for a free loopback port, so parallel runs do not collide on 8787/8790. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

async function emulatorState(url: string): Promise<EmulatorState> {
  const response = await fetch(`${url}/__emulator/state`);
  return (await response.json()) as EmulatorState;
}

describe.skipIf(!existsSync(SANDBOX_MODULE))("tgk against the sandbox", () => {
  let sandbox: Sandbox;

  beforeAll(async () => {
    const module = (await import(pathToFileURL(SANDBOX_MODULE).href)) as {
      startSandbox(options?: { hubPort?: number; emulatorPort?: number; persistTo?: string }): Promise<Sandbox>;
    };
    sandbox = await module.startSandbox({ hubPort: await freePort(), emulatorPort: await freePort(), persistTo: tempDir("sandbox-state") });
  }, 120_000);

  afterAll(async () => {
    await sandbox?.stop();
  });

  it("keeps one card under concurrent simulates", async () => {
    const simulate = (args: string[]) => runTgk(["hook", "simulate", "forum-polish", "--url", sandbox.hubUrl, "--pr", "31", ...args, "--json"]);

    const opened = await simulate(["--action", "opened"]);
    expect(opened.exitCode, opened.stderr).toBe(0);
    const [reviews, checks] = await Promise.all([
      simulate(["--action", "review", "--count", "5", "--interval", "20"]),
      simulate(["--action", "ci-pass", "--count", "5", "--interval", "20"]),
    ]);
    expect(reviews.exitCode, reviews.stderr).toBe(0);
    expect(checks.exitCode, checks.stderr).toBe(0);
    const delivered = [...(parseJson(reviews).deliveries as Array<{ status: number }>), ...(parseJson(checks).deliveries as Array<{ status: number }>)];
    expect(delivered.every((delivery) => delivery.status === 200)).toBe(true);

    // The hub debounces a burst before publishing, so poll until the topic has a pinned card.
    const deadline = Date.now() + SETTLE_TIMEOUT_MS;
    let pinned: number[] = [];
    let cards: EmulatorState["chats"][number]["messages"] = [];
    while (Date.now() < deadline) {
      const state = await emulatorState(sandbox.emulatorUrl);
      const chat = state.chats.find((candidate) => candidate.topics.some((topic) => topic.message_thread_id === FORUM_POLISH_THREAD_ID));
      pinned = chat?.topics.find((topic) => topic.message_thread_id === FORUM_POLISH_THREAD_ID)?.pinned_message_ids ?? [];
      cards = (chat?.messages ?? []).filter((message) => message.message_thread_id === FORUM_POLISH_THREAD_ID && message.from.is_bot && !message.deleted && message.pinned_message_id === undefined);
      if (pinned.length > 0 && cards.some((card) => card.text?.includes("31"))) break;
      await new Promise((resolve) => setTimeout(resolve, 500));
    }

    expect(pinned).toHaveLength(1);
    expect(cards).toHaveLength(1);
    expect(cards[0]?.message_id).toBe(pinned[0]);
    expect(cards[0]?.text).toContain("31");
  }, 90_000);

  it("reports a replay as duplicate", async () => {
    const folder = tempDir("sandbox-saved");
    const sent = await runTgk(["hook", "simulate", "mobile-app", "--url", sandbox.hubUrl, "--pr", "32", "--action", "ci-fail", "--save", folder]);
    expect(sent.exitCode, sent.stderr).toBe(0);

    const replayed = await runTgk(["hook", "replay", folder, "--url", sandbox.hubUrl, "--json"]);
    expect(replayed.exitCode, replayed.stderr).toBe(0);
    const [delivery] = parseJson(replayed).deliveries as Array<{ status: number; response: { duplicate?: boolean; stream?: string } }>;
    expect(delivery?.status).toBe(200);
    expect(delivery?.response.duplicate).toBe(true);
    expect(delivery?.response.stream).toBe("mobile-app");
  }, 30_000);

  it("rejects the wrong secret", async () => {
    const run = await runTgk(["hook", "simulate", "forum-polish", "--url", sandbox.hubUrl, "--pr", "33", "--action", "opened", "--secret", "not-the-secret"]);
    expect(run.exitCode).toBe(1);
    expect(run.stdout).toMatch(/^401 pull_request /m);
  }, 30_000);
});
