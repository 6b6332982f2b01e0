/**
 * Figure 4: delivery-to-pinned-card latency. The card counts as shown when the emulator responds to
 * the pinChatMessage call that pins the message whose text contains the awaited title. The time
 * comes from the emulator's call log, so the polling interval does not add to it.
 */
import { BenchEmulator, type EmulatorCall, type EmulatorState, type StreamBindings, startHub } from "../lib/hub.ts";
import { buildDelivery, percentile, postDelivery, round, sleep } from "../lib/http.ts";

export interface FreshnessSetting {
  debounce_ms: number;
  max_wait_ms: number;
}

export const SETTINGS: FreshnessSetting[] = [
  { debounce_ms: 200, max_wait_ms: 2_000 },
  { debounce_ms: 1_000, max_wait_ms: 5_000 },
];

const BURSTS = 5;
const DELIVERIES_PER_BURST = 20;
const TRICKLES = 2;
/** A trickle lasts this many MAX_WAIT_MS, with one delivery every half DEBOUNCE_MS. */
const TRICKLE_LENGTH_IN_MAX_WAITS = 1.5;
/** Time allowed for the alarm to start and for the card's sendMessage request, beyond max wait. */
const PUBLISH_ALLOWANCE_MS = 250;
const POLL_INTERVAL_MS = 50;

export interface FreshnessResult extends FreshnessSetting {
  burst: { bursts: number; deliveries_per_burst: number; latencies_ms: number[]; p50_ms: number | null; max_ms: number | null; p50_to_debounce: number | null };
  trickle: {
    trickles: number;
    interval_ms: number;
    deliveries_per_trickle: number;
    first_card_ms: (number | null)[];
    max_first_card_to_max_wait: number | null;
    /** Time between the card's sendMessage and pinChatMessage responses, per trickle. */
    bot_api_ms: (number | null)[];
    late: number;
  };
}

function atMs(call: EmulatorCall): number {
  return Date.parse(call.at);
}

/** Finds the first successful pin in `chatId` at or after `sinceMs` of a message whose text contains `title`. */
function findPin(state: EmulatorState, chatId: number, sinceMs: number, title?: string): { pinAt: number; sendAt: number } | undefined {
  const chat = state.chats.find((candidate) => candidate.id === chatId);
  if (chat === undefined) return undefined;
  for (const call of state.calls) {
    if (call.method !== "pinChatMessage" || !call.ok || call.chat_id !== chatId || atMs(call) < sinceMs) continue;
    const message = chat.messages.find((candidate) => candidate.message_id === call.message_id);
    if (message === undefined || (title !== undefined && !message.text.includes(title))) continue;
    const send = state.calls.find((candidate) => candidate.method === "sendMessage" && candidate.chat_id === chatId && candidate.message_id === call.message_id);
    return { pinAt: atMs(call), sendAt: send === undefined ? atMs(call) : atMs(send) };
  }
  return undefined;
}

async function waitForPin(emulator: BenchEmulator, chatId: number, sinceMs: number, timeoutMs: number, title?: string) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const pin = findPin(await emulator.state(), chatId, sinceMs, title);
    if (pin !== undefined) return pin;
    await sleep(POLL_INTERVAL_MS);
  }
  return undefined;
}

async function measureSetting(emulator: BenchEmulator, setting: FreshnessSetting, index: number): Promise<FreshnessResult> {
  const burstStreams: StreamBindings = {};
  for (let i = 0; i < BURSTS; i += 1) Object.assign(burstStreams, await emulator.createForum(`fresh ${index} burst ${i}`, [`fresh-${index}-burst-${i}`]));
  const trickleStreams: StreamBindings = {};
  for (let i = 0; i < TRICKLES; i += 1) Object.assign(trickleStreams, await emulator.createForum(`fresh ${index} trickle ${i}`, [`fresh-${index}-trickle-${i}`]));

  const hub = await startHub(emulator, {
    STREAMS: JSON.stringify({ ...burstStreams, ...trickleStreams }),
    DEBOUNCE_MS: String(setting.debounce_ms),
    MAX_WAIT_MS: String(setting.max_wait_ms),
  });
  try {
    const timeoutMs = setting.max_wait_ms + 30_000;

    // Bursts: deliveries back to back, then the time from the last response to the pinned card.
    const latencies: number[] = [];
    for (const [stream, binding] of Object.entries(burstStreams)) {
      let last = buildDelivery();
      let lastAnsweredAt = Date.now();
      for (let i = 0; i < DELIVERIES_PER_BURST; i += 1) {
        last = buildDelivery();
        await postDelivery(`${hub.url}/github/${stream}`, last);
        lastAnsweredAt = Date.now();
      }
      const pin = await waitForPin(emulator, binding.chat_id, lastAnsweredAt - 1_000, timeoutMs, last.title);
      if (pin !== undefined) latencies.push(pin.pinAt - lastAnsweredAt);
    }

    // Trickles: steady deliveries for longer than MAX_WAIT_MS, so only the max wait can publish.
    const intervalMs = Math.max(1, Math.floor(setting.debounce_ms / 2));
    const perTrickle = Math.ceil((TRICKLE_LENGTH_IN_MAX_WAITS * setting.max_wait_ms) / intervalMs);
    const trickles = await Promise.all(
      Object.entries(trickleStreams).map(async ([stream, binding]) => {
        const firstSentAt = Date.now();
        for (let i = 0; i < perTrickle; i += 1) {
          await postDelivery(`${hub.url}/github/${stream}`, buildDelivery());
          const nextAt = firstSentAt + (i + 1) * intervalMs;
          await sleep(Math.max(0, nextAt - Date.now()));
        }
        const pin = await waitForPin(emulator, binding.chat_id, firstSentAt, timeoutMs);
        return pin === undefined ? undefined : { firstCardMs: pin.pinAt - firstSentAt, botApiMs: pin.pinAt - pin.sendAt };
      }),
    );

    const firstCards = trickles.map((trickle) => (trickle === undefined ? null : trickle.firstCardMs));
    const measured = firstCards.filter((value): value is number => value !== null);
    const late = trickles.filter(
      (trickle) => trickle === undefined || trickle.firstCardMs > setting.max_wait_ms + trickle.botApiMs + PUBLISH_ALLOWANCE_MS,
    ).length;
    const p50 = latencies.length > 0 ? percentile(latencies, 50) : null;
    return {
      ...setting,
      burst: {
        bursts: BURSTS,
        deliveries_per_burst: DELIVERIES_PER_BURST,
        latencies_ms: latencies,
        p50_ms: p50,
        max_ms: latencies.length > 0 ? Math.max(...latencies) : null,
        p50_to_debounce: p50 === null ? null : round(p50 / setting.debounce_ms),
      },
      trickle: {
        trickles: TRICKLES,
        interval_ms: intervalMs,
        deliveries_per_trickle: perTrickle,
        first_card_ms: firstCards,
        max_first_card_to_max_wait: measured.length > 0 ? round(Math.max(...measured) / setting.max_wait_ms) : null,
        bot_api_ms: trickles.map((trickle) => (trickle === undefined ? null : trickle.botApiMs)),
        late,
      },
    };
  } finally {
    await hub.stop();
  }
}

export async function measureFreshness(): Promise<FreshnessResult[]> {
  const emulator = await BenchEmulator.start();
  try {
    const results: FreshnessResult[] = [];
    for (const [index, setting] of SETTINGS.entries()) {
      results.push(await measureSetting(emulator, setting, index));
      console.log(`freshness: ${JSON.stringify(results.at(-1))}`);
    }
    return results;
  } finally {
    await emulator.close();
  }
}
