/**
 * Figure 1: Bot API calls per delivery. Bursts go to streams bound to their own forum chats, so each
 * scenario's calls are counted from the emulator's call log by chat id alone.
 */
import { BenchEmulator, type BenchHub, type StreamBindings, startHub } from "../lib/hub.ts";
import { buildDelivery, postDelivery, round, runBounded, sleep } from "../lib/http.ts";

export type PublishMode = "card" | "relay";

interface Scenario {
  key: string;
  label: string;
  deliveries: number;
  streams: number;
  /** Streams are spread evenly over this many forum chats. */
  chats: number;
}

/**
 * 50 streams sit in 10 chats of 5 topics, because all topics of a chat share Telegram's limit of about
 * 20 messages a minute. In one chat, 100 cards (a first card and a repin per stream) would take
 * minutes however the hub behaves.
 */
export const SCENARIOS: Scenario[] = [
  { key: "burst_10", label: "10 deliveries, 1 stream", deliveries: 10, streams: 1, chats: 1 },
  { key: "burst_100", label: "100 deliveries, 1 stream", deliveries: 100, streams: 1, chats: 1 },
  { key: "burst_1000", label: "1,000 deliveries, 1 stream", deliveries: 1_000, streams: 1, chats: 1 },
  { key: "spread_1000", label: "1,000 deliveries over 50 streams (10 chats)", deliveries: 1_000, streams: 50, chats: 10 },
];

/** Deliveries in flight at once, like a busy organisation's webhooks. */
const SEND_CONCURRENCY = 8;
const SEND_TIME_LIMIT_MS = 60_000;

export interface CallsResult {
  key: string;
  label: string;
  mode: PublishMode;
  deliveries_sent: number;
  /** Response count by HTTP status, e.g. {"200": 990, "502": 10}. */
  answers: Record<string, number>;
  bot_api_calls: number;
  calls_by_method: Record<string, number>;
  too_many_requests: number;
  calls_per_delivery: number;
  send_ms: number;
  /** Card mode: ms from the last response until every stream had published and had no alarm left. */
  settle_ms: number | null;
  settled: boolean;
}

/** Runs every scenario against one emulator and one hub in `mode`, one scenario after another. */
export async function measureCalls(mode: PublishMode, maxWaitMs: number): Promise<CallsResult[]> {
  const emulator = await BenchEmulator.start();
  const layout: { scenario: Scenario; bindings: StreamBindings }[] = [];
  const streams: StreamBindings = {};
  for (const scenario of SCENARIOS) {
    const names = Array.from({ length: scenario.streams }, (_, i) => `${scenario.key.replace("_", "-")}-${i}`);
    const bindings: StreamBindings = {};
    const perChat = Math.ceil(scenario.streams / scenario.chats);
    for (let chat = 0; chat < scenario.chats; chat += 1) {
      Object.assign(bindings, await emulator.createForum(`${scenario.key} ${chat}`, names.slice(chat * perChat, (chat + 1) * perChat)));
    }
    Object.assign(streams, bindings);
    layout.push({ scenario, bindings });
  }

  const results: CallsResult[] = [];
  let hub: BenchHub | undefined;
  try {
    const started = await startHub(emulator, { STREAMS: JSON.stringify(streams), PUBLISH_MODE: mode });
    hub = started;
    for (const { scenario, bindings } of layout) {
      const names = Object.keys(bindings);
      const chatIds = new Set(Object.values(bindings).map((binding) => binding.chat_id));

      // A card already pinned is the usual case, so each stream gets one delivery and its first card
      // before the burst, and only calls made after that count.
      if (mode === "card") {
        await Promise.all(names.map((stream) => postDelivery(`${started.url}/github/${stream}`, buildDelivery())));
        await started.waitUntilPublished(names, maxWaitMs + 60_000);
        await sleep(1_000);
      }
      const callsBefore = (await emulator.state()).calls.length;

      const answers: Record<string, number> = {};
      const sent = await runBounded(scenario.deliveries, SEND_CONCURRENCY, SEND_TIME_LIMIT_MS, async (index) => {
        const stream = names[index % names.length] ?? "";
        const result = await postDelivery(`${started.url}/github/${stream}`, buildDelivery());
        answers[result.status] = (answers[result.status] ?? 0) + 1;
      });

      let settleMs: number | null = null;
      let settled = true;
      if (mode === "card") {
        const settleStart = performance.now();
        settled = await started.waitUntilPublished(names, maxWaitMs + 60_000);
        settleMs = performance.now() - settleStart;
      }
      // The pin's service message reaches the bot through its webhook, and the bot deletes it then.
      await sleep(1_000);

      const calls = (await emulator.state()).calls.slice(callsBefore).filter((call) => call.chat_id !== undefined && chatIds.has(call.chat_id));
      const byMethod: Record<string, number> = {};
      for (const call of calls) byMethod[call.method] = (byMethod[call.method] ?? 0) + 1;
      results.push({
        key: scenario.key,
        label: scenario.label,
        mode,
        deliveries_sent: sent.done,
        answers,
        bot_api_calls: calls.length,
        calls_by_method: byMethod,
        too_many_requests: calls.filter((call) => call.error_code === 429).length,
        calls_per_delivery: round(calls.length / Math.max(1, sent.done), 4),
        send_ms: Math.round(sent.elapsedMs),
        settle_ms: settleMs === null ? null : Math.round(settleMs),
        settled,
      });
      console.log(`calls ${mode} ${scenario.key}: ${JSON.stringify(results.at(-1))}`);
    }
  } finally {
    await hub?.stop();
    await emulator.close();
  }
  return results;
}
