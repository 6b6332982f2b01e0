/** The hub under test: the Telegram emulator in this process and tgk under `wrangler dev`. */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { CallRecord } from "../../emulator/core.ts";
import { startEmulator, type RunningEmulator } from "../../emulator/server.ts";
import { type Sandbox, startSandbox } from "../../scripts/sandbox.ts";
import { freePort, sleep } from "./http.ts";

export type StreamBindings = Record<string, { chat_id: number; message_thread_id: number }>;

/** One Bot API call in the emulator's call log. */
export type EmulatorCall = CallRecord;

export interface EmulatorMessage {
  message_id: number;
  message_thread_id: number | null;
  text: string;
  deleted: boolean;
}

export interface EmulatorChat {
  id: number;
  topics: { message_thread_id: number; name: string; pinned_message_ids: number[] }[];
  messages: EmulatorMessage[];
}

export interface EmulatorState {
  chats: EmulatorChat[];
  calls: EmulatorCall[];
}

export interface StreamStatus {
  deliveries_total: number;
  pending_deliveries: number;
  pinned_message_id?: number;
  next_publish_at: number | null;
  storage_bytes: number;
}

async function requestJson<T>(url: string, init?: RequestInit): Promise<T> {
  const response = await fetch(url, init);
  const text = await response.text();
  if (!response.ok) throw new Error(`${init?.method ?? "GET"} ${url} failed with ${response.status}: ${text.slice(0, 300)}`);
  return JSON.parse(text) as T;
}

export class BenchEmulator {
  readonly url: string;
  readonly #running: RunningEmulator;

  private constructor(running: RunningEmulator) {
    this.#running = running;
    this.url = running.url;
  }

  static async start(rateLimitPerMinute?: number): Promise<BenchEmulator> {
    const emulator = new BenchEmulator(await startEmulator({ port: await freePort(), seed: "sandbox" }));
    if (rateLimitPerMinute !== undefined) await emulator.configure(rateLimitPerMinute);
    return emulator;
  }

  async configure(rateLimitPerMinute: number): Promise<void> {
    await requestJson(`${this.url}/__emulator/config`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ rate_limit_per_minute: rateLimitPerMinute }),
    });
  }

  /** Creates a forum supergroup with one topic per stream and returns the streams' bindings. */
  async createForum(title: string, streams: string[]): Promise<StreamBindings> {
    const chat = await requestJson<{ id: number; topics: { message_thread_id: number; name: string }[] }>(`${this.url}/__emulator/chats`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ title, type: "supergroup", is_forum: true, topics: streams }),
    });
    const bindings: StreamBindings = {};
    for (const stream of streams) {
      const topic = chat.topics.find((candidate) => candidate.name === stream);
      if (topic === undefined) throw new Error(`the emulator created chat ${chat.id} without topic ${stream}`);
      bindings[stream] = { chat_id: chat.id, message_thread_id: topic.message_thread_id };
    }
    return bindings;
  }

  state(): Promise<EmulatorState> {
    return requestJson<EmulatorState>(`${this.url}/__emulator/state`);
  }

  close(): Promise<void> {
    return this.#running.close();
  }
}

export interface BenchHub {
  url: string;
  sandbox: Sandbox;
  streamStatus(stream: string): Promise<StreamStatus>;
  /** Waits until every stream has published all it stored and has no alarm left; false on timeout. */
  waitUntilPublished(streams: string[], timeoutMs: number): Promise<boolean>;
  stop(): Promise<void>;
}

/** Starts tgk under `wrangler dev` against `emulator`, with fresh storage in a temp folder. */
export async function startHub(emulator: BenchEmulator, vars: Record<string, string>): Promise<BenchHub> {
  const persistTo = mkdtempSync(join(tmpdir(), "tgk-bench-hub-"));
  let sandbox: Sandbox;
  try {
    sandbox = await startSandbox({ hubPort: await freePort(), emulatorUrl: emulator.url, persistTo, vars, hubOutput: "capture" });
  } catch (error) {
    rmSync(persistTo, { recursive: true, force: true });
    throw error;
  }

  const streamStatus = async (stream: string): Promise<StreamStatus> =>
    (await requestJson<{ status: StreamStatus }>(`${sandbox.hubUrl}/__debug/streams/${stream}`)).status;

  return {
    url: sandbox.hubUrl,
    sandbox,
    streamStatus,
    async waitUntilPublished(streams, timeoutMs) {
      const deadline = Date.now() + timeoutMs;
      while (Date.now() < deadline) {
        const statuses = await Promise.all(streams.map(streamStatus));
        if (statuses.every((status) => status.pending_deliveries === 0 && status.next_publish_at === null)) return true;
        await sleep(250);
      }
      return false;
    },
    async stop() {
      await sandbox.stop();
      rmSync(persistTo, { recursive: true, force: true });
    },
  };
}
