#!/usr/bin/env node
/**
 * Loopback load test: 10,000 signed pull_request deliveries over 60 s to 100 streams of the real
 * hub under `wrangler dev`, each stream bound to its own forum chat in the Telegram emulator.
 *
 * Checks that no delivery is lost, every stream converges on one pinned card with its last title,
 * storage per stream stays bounded, workerd's memory stays flat, the emulator draws no 429, and no
 * secret reaches the hub's output. Exits 0 only when every check passes. `npm run test:load`.
 */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { freePort } from "../../scripts/loopback.ts";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { SANDBOX_BOT } from "../../emulator/sandbox.ts";
import { type RunningEmulator, startEmulator } from "../../emulator/server.ts";
import { SANDBOX_GITHUB_SECRET, SANDBOX_TELEGRAM_SECRET, type Sandbox, startSandbox } from "../../scripts/sandbox.ts";
import { type PlannedDelivery, planDeliveries } from "./deliveries.ts";
import { quantile, sendPaced } from "./pacer.ts";
import { rssBytes, workerdPids } from "./processes.ts";

const STREAM_COUNT = 100;
const DELIVERY_COUNT = 10_000;
const SEND_DURATION_MS = 60_000;
const MAX_IN_FLIGHT = 64;
const REQUEST_TIMEOUT_MS = 10_000;
/** Delivery IDs per /missing request; the debug endpoint accepts at most 5,000. */
const MISSING_IDS_PER_REQUEST = 5_000;
/** Time after the last delivery for every card to settle. */
const CONVERGE_TIMEOUT_MS = 150_000;
const POLL_INTERVAL_MS = 2_000;
const RSS_SAMPLE_INTERVAL_MS = 2_000;
/** Idle time after the cards settle, sampled to show whether workerd gives memory back. */
const IDLE_SAMPLE_MS = 20_000;
/** Whole run, start-up and clean-up included; the watchdog stops everything after this. */
const RUN_DEADLINE_MS = 345_000;
/** Time kept before the deadline for the checks after settling and for stopping the processes. */
const CHECKS_RESERVE_MS = 40_000;
/**
 * Upper bound on one stream's SQLite storage (`storage_bytes`, whole pages) after 100 deliveries to
 * 5 pull requests. This script measured 48 KiB for every stream with wrangler 4.157 on a 2-core
 * Linux machine, so the bound leaves more than twice that as headroom.
 */
const MAX_STORAGE_BYTES_PER_STREAM = 128 * 1024;
/**
 * Allowed ratio of workerd's RSS growth over the last third of the send phase to its growth over
 * the first third. workerd under `wrangler dev` keeps memory after each request even for a Worker
 * that only reads the body (measured with bench/floor: 222 MB to 1,069 MB over 12,000 requests,
 * adding 442, 264 and 110 MB per 4,000), so absolute RSS rises for any Worker. A leak in the hub
 * would add the same amount per delivery throughout; growth that slows down is the runtime's.
 */
const MAX_RSS_GROWTH_RATIO = 0.6;
/**
 * Shorter publish timing than the defaults (2 s, 15 s) so the run converges within minutes.
 * TGK_LOAD_LOG_LEVEL sets the hub's LOG_LEVEL; at "info" the secret check reads one line per delivery.
 */
const HUB_VARS = { DEBOUNCE_MS: "1000", MAX_WAIT_MS: "5000", LOG_LEVEL: process.env.TGK_LOAD_LOG_LEVEL ?? "info" };
const SECRETS = [SANDBOX_GITHUB_SECRET, SANDBOX_TELEGRAM_SECRET, SANDBOX_BOT.token];

interface Binding {
  chat_id: number;
  message_thread_id: number;
}

interface Check {
  name: string;
  passed: boolean;
  detail: string;
}

interface EmulatorMessage {
  message_id: number;
  message_thread_id?: number;
  from: { is_bot: boolean };
  text: string;
  deleted: boolean;
  reply_markup?: { inline_keyboard?: Array<Array<{ callback_data?: string }>> };
}

interface EmulatorState {
  chats: Array<{ id: number; topics: Array<{ message_thread_id: number; pinned_message_ids: number[] }>; messages: EmulatorMessage[] }>;
  calls: Array<{ method: string; ok: boolean; error_code: number | null; chat_id?: number }>;
}

interface StreamStatus {
  pending_deliveries: number;
  storage_bytes: number;
}

const checks: Check[] = [];

function record(name: string, passed: boolean, detail: string): void {
  checks.push({ name, passed, detail });
  console.log(`${passed ? "PASS" : "FAIL"} ${name}: ${detail}`);
}

async function requestJson<T>(url: string, init?: RequestInit): Promise<T> {
  const response = await fetch(url, { ...init, signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) });
  const text = await response.text();
  if (!response.ok) throw new Error(`${init?.method ?? "GET"} ${url} failed with ${response.status}: ${text.slice(0, 200)}`);
  return JSON.parse(text) as T;
}

/** Runs `work` on every item with at most `limit` running at once. */
async function forEachLimited<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const workers = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) await work(items[next++]!);
  });
  await Promise.all(workers);
}

async function createForums(emulatorUrl: string, streams: readonly string[]): Promise<Record<string, Binding>> {
  const bindings: Record<string, Binding> = {};
  for (const stream of streams) {
    const chat = await requestJson<{ id: number; topics: Array<{ message_thread_id: number; name: string }> }>(`${emulatorUrl}/__emulator/chats`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ title: `load ${stream}`, type: "supergroup", is_forum: true, topics: [stream] }),
    });
    // The emulator lists General (thread 1) too, so the topic is picked by name.
    const topic = chat.topics.find((t) => t.name === stream);
    if (topic === undefined) throw new Error(`the emulator created chat ${chat.id} without the topic ${stream}`);
    bindings[stream] = { chat_id: chat.id, message_thread_id: topic.message_thread_id };
  }
  return bindings;
}

/** Samples the summed RSS of the hub's workerd processes until stopped. */
function startRssSampler(rootPid: number): { samples: number[]; stop: () => Promise<void> } {
  const samples: number[] = [];
  let running = true;
  const loop = (async () => {
    while (running) {
      const pids = await workerdPids(rootPid);
      if (pids.length > 0) samples.push(await rssBytes(pids));
      await new Promise((resolve) => setTimeout(resolve, RSS_SAMPLE_INTERVAL_MS));
    }
  })();
  return {
    samples,
    stop: async () => {
      running = false;
      await loop;
    },
  };
}

interface TopicCards {
  pinned: EmulatorMessage[];
  live: EmulatorMessage[];
}

function topicCards(state: EmulatorState, binding: Binding): TopicCards {
  const chat = state.chats.find((c) => c.id === binding.chat_id);
  const topic = chat?.topics.find((t) => t.message_thread_id === binding.message_thread_id);
  const pinnedIds = new Set(topic?.pinned_message_ids ?? []);
  const isCard = (m: EmulatorMessage) => m.reply_markup?.inline_keyboard?.some((row) => row.some((button) => button.callback_data === "refresh")) === true;
  const live = (chat?.messages ?? []).filter((m) => !m.deleted && m.from.is_bot && m.message_thread_id === binding.message_thread_id && isCard(m));
  return { live, pinned: live.filter((m) => pinnedIds.has(m.message_id)) };
}

async function streamStatus(hubUrl: string, stream: string): Promise<StreamStatus> {
  return (await requestJson<{ status: StreamStatus }>(`${hubUrl}/__debug/streams/${stream}`)).status;
}

/** Polls until every stream has one pinned card, no other live card and no pending delivery. */
async function waitForConvergence(sandbox: Sandbox, bindings: Record<string, Binding>, timeoutMs: number): Promise<{ settled: Set<string>; elapsedMs: number }> {
  const started = Date.now();
  const settled = new Set<string>();
  const streams = Object.keys(bindings);
  while (settled.size < streams.length && Date.now() - started < timeoutMs) {
    const state = await requestJson<EmulatorState>(`${sandbox.emulatorUrl}/__emulator/state`);
    const candidates = streams.filter((stream) => {
      const cards = topicCards(state, bindings[stream]!);
      return cards.pinned.length === 1 && cards.live.length === 1;
    });
    settled.clear();
    await forEachLimited(candidates, 10, async (stream) => {
      if ((await streamStatus(sandbox.hubUrl, stream)).pending_deliveries === 0) settled.add(stream);
    });
    if (settled.size < streams.length) await new Promise((resolve) => setTimeout(resolve, POLL_INTERVAL_MS));
  }
  return { settled, elapsedMs: Date.now() - started };
}

function mean(values: readonly number[]): number {
  return values.reduce((sum, value) => sum + value, 0) / values.length;
}

function megabytes(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

async function checkMissing(hubUrl: string, deliveries: readonly PlannedDelivery[], streams: readonly string[]): Promise<void> {
  const idsByStream = new Map<string, string[]>();
  for (const planned of deliveries) idsByStream.set(planned.stream, [...(idsByStream.get(planned.stream) ?? []), planned.deliveryId]);

  const missing: string[] = [];
  await forEachLimited(streams, 10, async (stream) => {
    const ids = idsByStream.get(stream) ?? [];
    for (let start = 0; start < ids.length; start += MISSING_IDS_PER_REQUEST) {
      const result = await requestJson<{ ok: boolean; missing: string[] }>(`${hubUrl}/__debug/streams/${stream}/missing`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ ids: ids.slice(start, start + MISSING_IDS_PER_REQUEST) }),
      });
      missing.push(...result.missing.map((id) => `${stream}/${id}`));
    }
  });
  record("zero lost: every delivery id stored", missing.length === 0, missing.length === 0 ? `${deliveries.length} ids found in their agents` : `${missing.length} missing, e.g. ${missing.slice(0, 3).join(", ")}`);
}

/** Saves the hub's output to a file and prints how many lines it logged at error level, by message. */
async function reportHubErrors(output: readonly string[]): Promise<void> {
  const path = join(tmpdir(), `tgk-load-hub-${Date.now()}.log`);
  await writeFile(path, output.join("\n"));
  const messages = new Map<string, number>();
  for (const line of output) {
    if (!line.includes('"level":"error"')) continue;
    const message = /"msg":"([^"]*)"/.exec(line)?.[1] ?? line.slice(0, 120);
    messages.set(message, (messages.get(message) ?? 0) + 1);
  }
  const listed = [...messages].map(([message, count]) => `${count}× ${message}`).join("; ");
  console.log(`hub output saved to ${path}; error lines: ${listed === "" ? "none" : listed}`);
}

async function run(): Promise<void> {
  const runStarted = Date.now();
  const persistTo = await mkdtemp(join(tmpdir(), "tgk-load-"));
  let emulator: RunningEmulator | undefined;
  let sandbox: Sandbox | undefined;
  let sampler: ReturnType<typeof startRssSampler> | undefined;

  const cleanUp = async (): Promise<void> => {
    if (sandbox !== undefined) await reportHubErrors(sandbox.output);
    await sampler?.stop();
    await sandbox?.stop();
    await emulator?.close();
    await rm(persistTo, { recursive: true, force: true });
  };
  const watchdog = setTimeout(() => {
    record("run finished within the deadline", false, `still running after ${RUN_DEADLINE_MS / 1000} s; stopping every process`);
    void cleanUp().finally(() => process.exit(1));
  }, RUN_DEADLINE_MS);

  try {
    // Emulator first, then the forums, then the hub bound to them through STREAMS.
    emulator = await startEmulator({ port: await freePort(), seed: "sandbox" });
    const streams = Array.from({ length: STREAM_COUNT }, (_, index) => `load-${String(index + 1).padStart(3, "0")}`);
    const bindings = await createForums(emulator.url, streams);
    sandbox = await startSandbox({
      hubPort: await freePort(),
      emulatorUrl: emulator.url,
      persistTo,
      vars: { ...HUB_VARS, STREAMS: JSON.stringify(bindings) },
      hubOutput: "capture",
    });
    const hubStartedMs = Date.now() - runStarted;
    console.log(`hub ${sandbox.hubUrl}, emulator ${emulator.url}, ${STREAM_COUNT} forums, ready after ${(hubStartedMs / 1000).toFixed(1)} s`);

    sampler = startRssSampler(sandbox.hub.pid!);
    const deliveries = planDeliveries(streams, DELIVERY_COUNT, Date.parse("2030-01-01T00:00:00Z"));
    console.log(`sending ${DELIVERY_COUNT} deliveries over ${SEND_DURATION_MS / 1000} s, at most ${MAX_IN_FLIGHT} in flight...`);
    const { results, elapsedMs: sendMs } = await sendPaced(deliveries, {
      hubUrl: sandbox.hubUrl,
      secret: SANDBOX_GITHUB_SECRET,
      durationMs: SEND_DURATION_MS,
      maxInFlight: MAX_IN_FLIGHT,
      timeoutMs: REQUEST_TIMEOUT_MS,
    });
    const latencies = results.map((result) => result.latencyMs);
    const failures = results.filter((result) => result.status !== 200);
    const statusCounts = new Map<string, number>();
    for (const failure of failures) {
      const key = failure.status === 0 ? `no response (${failure.error})` : String(failure.status);
      statusCounts.set(key, (statusCounts.get(key) ?? 0) + 1);
    }
    record("zero lost: every answer 200", failures.length === 0, failures.length === 0 ? `${results.length} of ${DELIVERY_COUNT}` : [...statusCounts].map(([status, count]) => `${count}× ${status}`).join(", "));

    await checkMissing(sandbox.hubUrl, deliveries, streams);

    // A slow send phase shortens the wait, so checks and clean-up still finish before the watchdog.
    const convergeTimeoutMs = Math.max(10_000, Math.min(CONVERGE_TIMEOUT_MS, runStarted + RUN_DEADLINE_MS - CHECKS_RESERVE_MS - IDLE_SAMPLE_MS - Date.now()));
    console.log(`waiting up to ${(convergeTimeoutMs / 1000).toFixed(0)} s for every card to settle...`);
    const { settled, elapsedMs: convergeMs } = await waitForConvergence(sandbox, bindings, convergeTimeoutMs);
    const unsettled = streams.filter((stream) => !settled.has(stream));
    record(
      "every stream settles on one pinned card",
      unsettled.length === 0,
      unsettled.length === 0 ? `all ${STREAM_COUNT} within ${(convergeMs / 1000).toFixed(1)} s` : `${unsettled.length} not settled, e.g. ${unsettled.slice(0, 3).join(", ")}`,
    );
    // The stability check covers sending and settling; the idle samples after it are only reported.
    const loadSampleCount = sampler.samples.length;
    await new Promise((resolve) => setTimeout(resolve, IDLE_SAMPLE_MS));
    await sampler.stop();

    // The card must show the title of the stream's newest delivery.
    const state = await requestJson<EmulatorState>(`${emulator.url}/__emulator/state`);
    const lastTitle = new Map<string, string>();
    for (const planned of deliveries) lastTitle.set(planned.stream, planned.title);
    const wrongCards = streams.filter((stream) => {
      const [card] = topicCards(state, bindings[stream]!).pinned;
      return card === undefined || !card.text.includes(lastTitle.get(stream)!);
    });
    record("every card shows its last title", wrongCards.length === 0, wrongCards.length === 0 ? `${STREAM_COUNT} cards` : `${wrongCards.length} wrong, e.g. ${wrongCards.slice(0, 3).join(", ")}`);

    const storage = new Map<string, number>();
    await forEachLimited(streams, 10, async (stream) => {
      storage.set(stream, (await streamStatus(sandbox!.hubUrl, stream)).storage_bytes);
    });
    const storageValues = [...storage.values()];
    const maxStorage = Math.max(...storageValues);
    record(
      "storage per stream bounded",
      maxStorage <= MAX_STORAGE_BYTES_PER_STREAM,
      `max ${(maxStorage / 1024).toFixed(0)} KiB, mean ${(mean(storageValues) / 1024).toFixed(0)} KiB, bound ${MAX_STORAGE_BYTES_PER_STREAM / 1024} KiB`,
    );

    const samples = sampler.samples.slice(0, loadSampleCount);
    const idleRss = sampler.samples.at(-1) ?? Number.NaN;
    const third = Math.floor(samples.length / 3);
    const firstGrowth = third > 0 ? samples[third]! - samples[0]! : Number.NaN;
    const lastGrowth = third > 0 ? samples.at(-1)! - samples[samples.length - 1 - third]! : Number.NaN;
    record(
      "workerd memory stable",
      third > 0 && lastGrowth <= Math.max(firstGrowth, 0) * MAX_RSS_GROWTH_RATIO,
      `${samples.length} samples, growth over the first third ${megabytes(firstGrowth)}, over the last third ${megabytes(lastGrowth)}, bound ×${MAX_RSS_GROWTH_RATIO} of the first`,
    );

    const tooMany = state.calls.filter((call) => call.error_code === 429);
    record("no 429 from the emulator", tooMany.length === 0, `${tooMany.length} of ${state.calls.length} Bot API calls answered 429`);

    const leaks = SECRETS.filter((secret) => sandbox!.output.some((line) => line.includes(secret)));
    record("no secret in the hub's output", leaks.length === 0, `${sandbox.output.length} lines checked, ${leaks.length} secrets found`);

    console.log(`
summary
  deliveries/s:      ${(results.length / (sendMs / 1000)).toFixed(1)} (${results.length} in ${(sendMs / 1000).toFixed(1)} s)
  latency:           p50 ${quantile(latencies, 0.5).toFixed(1)} ms, p99 ${quantile(latencies, 0.99).toFixed(1)} ms, max ${Math.max(...latencies).toFixed(1)} ms
  time to converge:  ${(convergeMs / 1000).toFixed(1)} s after the last delivery
  workerd RSS:       first ${megabytes(samples[0] ?? Number.NaN)}, last ${megabytes(samples.at(-1) ?? Number.NaN)}, peak ${megabytes(Math.max(...samples))}
  RSS idle ${IDLE_SAMPLE_MS / 1000} s later: ${megabytes(idleRss)}
  RSS every 10 s:    ${samples.filter((_, index) => index % 5 === 0).map((bytes) => (bytes / 1024 / 1024).toFixed(0)).join(" ")} MB
  storage/stream:    mean ${(mean(storageValues) / 1024).toFixed(0)} KiB, max ${(maxStorage / 1024).toFixed(0)} KiB
  Bot API calls:     ${state.calls.length}`);
  } catch (error) {
    record("run completed", false, error instanceof Error ? (error.stack ?? error.message) : String(error));
  } finally {
    clearTimeout(watchdog);
    await cleanUp();
  }

  const failed = checks.filter((check) => !check.passed).length;
  console.log(`run time ${((Date.now() - runStarted) / 1000).toFixed(1)} s`);
  console.log(`${checks.length - failed} passed, ${failed} failed`);
  process.exitCode = failed === 0 ? 0 : 1;
}

await run();
