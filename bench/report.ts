/** Renders docs/benchmarks.md from the figures of one `npm run bench` run. */
import type { AckResult, LatencySummary } from "./figures/ack.ts";
import type { BundleResult, StartupResult } from "./figures/bundle.ts";
import type { CallsResult } from "./figures/calls.ts";
import type { FreshnessResult } from "./figures/freshness.ts";
import type { StorageResult } from "./figures/storage.ts";
import type { ThroughputResult } from "./figures/throughput.ts";

export interface BenchReport {
  machine: { nproc: number; memory_gib: number; cpu_model: string; node: string; wrangler: string; workerd: string; date: string };
  step_seconds: Record<string, number>;
  errors: { step: string; message: string }[];
  total_seconds?: number;
  bundle?: BundleResult;
  startup?: StartupResult;
  calls?: CallsResult[];
  freshness?: FreshnessResult[];
  ack?: AckResult;
  throughput?: ThroughputResult;
  storage?: StorageResult;
}

/** Card-mode calls per delivery for bursts of 100 or more must stay under this. */
export const CALLS_PER_DELIVERY_TARGET = 0.05;
/** tgk's p50 acknowledgement latency must stay within this multiple of the floor Worker's. */
export const ACK_P50_RATIO_TARGET = 2;

function table(header: string[], rows: (string | number | null)[][]): string {
  const line = (cells: (string | number | null)[]): string => `| ${cells.map((cell) => (cell === null ? "n/a" : String(cell))).join(" | ")} |`;
  return [line(header), line(header.map(() => "---")), ...rows.map(line)].join("\n");
}

function kib(bytes: number): string {
  return `${(bytes / 1024).toFixed(1)} KiB`;
}

function answers(result: CallsResult): string {
  return Object.entries(result.answers)
    .map(([status, count]) => `${count}× ${status}`)
    .join(", ");
}

function callsSection(calls: CallsResult[]): string[] {
  const rows = calls
    .filter((result) => result.mode === "card")
    .map((cardResult) => {
      const relayResult = calls.find((result) => result.mode === "relay" && result.key === cardResult.key);
      const ratio = relayResult === undefined || cardResult.calls_per_delivery === 0 ? null : Math.round(relayResult.calls_per_delivery / cardResult.calls_per_delivery);
      return [
        cardResult.label,
        cardResult.calls_per_delivery,
        cardResult.bot_api_calls,
        cardResult.too_many_requests,
        relayResult?.calls_per_delivery ?? null,
        relayResult?.too_many_requests ?? null,
        relayResult === undefined ? null : answers(relayResult),
        ratio === null ? null : `${ratio}×`,
      ];
    });
  const methods = calls
    .filter((result) => result.mode === "card")
    .map((result) => [result.label, Object.entries(result.calls_by_method).map(([method, count]) => `${method} ${count}`).join(", "), result.settle_ms, result.settled ? "yes" : "no"]);
  return [
    "## 1. Bot API calls per delivery",
    "",
    "Bursts of signed `pull_request` deliveries, 8 in flight at once, each scenario in forum chats of its own so the",
    "emulator's call log is counted by chat id. In card mode every stream first gets one delivery and its first card,",
    "and only calls after that count, because a card already pinned is the usual case: a repin then costs sendMessage,",
    "pinChatMessage, deleteMessage for the old card (which unpins it too), and deleteMessage for the pin's service",
    "message. Relay mode (`PUBLISH_MODE=relay`, one message per delivery) runs against its own emulator and hub. The",
    "emulator allows 20 sends per chat per minute and answers 429 beyond that, like Telegram. DEBOUNCE_MS and",
    "MAX_WAIT_MS are the defaults, 2000 and 15000.",
    "",
    table(["scenario", "card calls/delivery", "card calls", "card 429s", "relay calls/delivery", "relay 429s", "relay answers", "relay ÷ card"], rows),
    "",
    table(["card scenario", "calls by method", "ms from last answer to all published", "settled"], methods),
    "",
  ];
}

function latencyRow(name: string, summary: LatencySummary): (string | number)[] {
  return [name, summary.requests, summary.p50_ms, summary.p99_ms, summary.non_200];
}

function ackSection(ack: AckResult): string[] {
  return [
    "## 2. Webhook acknowledgement latency",
    "",
    "Time from sending a signed delivery to reading the whole answer, on one keep-alive client. tgk verifies the",
    "signature, parses and reduces the payload and stores it in the stream's Durable Object before answering 200 (the",
    "hub's info log line per delivery included). The floor Worker (bench/floor/worker.ts) reads the body and answers 200.",
    `Sequential requests alternate between the two; the concurrent run keeps ${ack.concurrent.concurrency} in flight.`,
    "",
    table(
      ["run", "requests", "p50 ms", "p99 ms", "non-200"],
      [
        latencyRow("sequential, tgk", ack.sequential.tgk),
        latencyRow("sequential, floor", ack.sequential.floor),
        latencyRow(`${ack.concurrent.concurrency} concurrent, tgk`, ack.concurrent.tgk),
        latencyRow(`${ack.concurrent.concurrency} concurrent, floor`, ack.concurrent.floor),
      ],
    ),
    "",
    table(
      ["ratio tgk ÷ floor", "p50", "p99"],
      [
        ["sequential", ack.sequential.p50_ratio, ack.sequential.p99_ratio],
        ["concurrent", ack.concurrent.p50_ratio, ack.concurrent.p99_ratio],
      ],
    ),
    "",
  ];
}

function throughputSection(throughput: ThroughputResult): string[] {
  const row = (name: string, run: ThroughputResult["one_stream"]["tgk"]): (string | number)[] => [
    name,
    run.requests,
    run.elapsed_ms,
    run.per_second,
    Object.entries(run.answers).map(([status, count]) => `${count}× ${status === "0" ? "connection error" : status}`).join(", "),
  ];
  return [
    "## 3. Ingest throughput",
    "",
    `Deliveries answered 200 per second with ${throughput.concurrency} requests in flight, into one stream and round-robin over 100,`,
    "in two rounds per target with floor and tgk taking turns; a round ends after 1,000 requests or 10 s.",
    "The floor writes one SQLite row per request to a Durable Object named by the path (one object, or 100).",
    "",
    table(
      ["target", "requests", "ms", "per second", "answers"],
      [
        row("tgk, 1 stream", throughput.one_stream.tgk),
        row("floor, 1 object", throughput.one_stream.floor),
        row("tgk, 100 streams", throughput.hundred_streams.tgk),
        row("floor, 100 objects", throughput.hundred_streams.floor),
      ],
    ),
    "",
    `tgk ÷ floor: ${throughput.one_stream.ratio} for one stream, ${throughput.hundred_streams.ratio} over 100 streams.`,
    "",
    ...[throughput.one_stream, throughput.hundred_streams].flatMap((pair) =>
      Object.entries({ ...pair.floor.errors, ...pair.tgk.errors }).map(([status, text]) => `First error with status ${status === "0" ? "0 (connection error)" : status}: \`${text}\`.`),
    ),
    "",
  ];
}

function freshnessSection(freshness: FreshnessResult[]): string[] {
  const rows = freshness.map((result) => [
    `${result.debounce_ms} / ${result.max_wait_ms}`,
    result.burst.latencies_ms.join(", "),
    result.burst.p50_ms,
    result.burst.p50_to_debounce,
    result.trickle.first_card_ms.map((value) => (value === null ? "none" : value)).join(", "),
    result.trickle.max_first_card_to_max_wait,
    result.trickle.bot_api_ms.map((value) => (value === null ? "none" : value)).join(", "),
    result.trickle.late,
  ]);
  return [
    "## 4. Delivery to pinned card",
    "",
    "Each setting runs its own hub (DEBOUNCE_MS / MAX_WAIT_MS below). A card counts as shown when the emulator answers",
    "the pinChatMessage call for the message that carries the awaited title; times come from the emulator's call log.",
    "A burst is 20 deliveries back to back and is timed from the last answer. A trickle sends one delivery every half",
    "DEBOUNCE_MS for 1.5 × MAX_WAIT_MS, so only the max wait can publish, and is timed from the first delivery to the",
    "first card. A trickle's card is late when it comes after MAX_WAIT_MS plus the time between its sendMessage and",
    "pinChatMessage answers plus 250 ms for the alarm to start and the sendMessage request.",
    "",
    table(["debounce / max wait ms", "burst ms, each", "burst p50 ms", "p50 ÷ debounce", "trickle first card ms", "max ÷ max wait", "send to pin ms", "late"], rows),
    "",
  ];
}

function bundleSection(bundle: BundleResult | undefined, startup: StartupResult | undefined): string[] {
  const lines = ["## 5. Bundle size and startup", ""];
  if (bundle !== undefined) {
    lines.push(
      "`wrangler deploy --dry-run --outdir <tmp> --metafile` builds the deployable bundle offline; gzip is Node's zlib at",
      "its default level. Shares come from esbuild's metafile (bytes each input contributes, before gzip).",
      "",
      table(
        ["bundle", "bytes", "gzip"],
        [
          ["tgk", kib(bundle.bytes), kib(bundle.gzip_bytes)],
          ["floor", kib(bundle.floor_bytes), kib(bundle.floor_gzip_bytes)],
        ],
      ),
      "",
      table(["source", "bytes", "share"], bundle.shares.map((share) => [share.source, kib(share.bytes), `${share.percent} %`])),
      "",
    );
  }
  if (startup !== undefined) {
    lines.push(
      `Startup: milliseconds from spawning \`wrangler dev\` with fresh storage to its first 200 from GET /health, ${startup.cold_starts}`,
      "times each, floor and tgk taking turns. This measures the local tool chain (wrangler bundling the Worker with",
      "esbuild, starting workerd, loading the script and answering one request), not the startup time Cloudflare",
      "reports for a deployed Worker, which needs an account.",
      "",
      table(
        ["Worker", "each ms", "median ms"],
        [
          ["tgk", startup.tgk_ms.join(", "), startup.tgk_median_ms],
          ["floor", startup.floor_ms.join(", "), startup.floor_median_ms],
        ],
      ),
      "",
      `tgk ÷ floor: ${startup.ratio}.`,
      "",
    );
  }
  return lines;
}

function storageSection(storage: StorageResult): string[] {
  const reached = storage.checkpoints.at(-1)?.deliveries_total ?? 0;
  return [
    "## 6. Storage per stream",
    "",
    `Deliveries to one stream with 32 in flight, up to ${storage.target_deliveries.toLocaleString("en-US")} or ${Math.round(storage.time_limit_ms / 1000)} s,`,
    "whichever comes first. storage_bytes is the stream agent's SQLite database size from `GET /__debug/streams/<stream>`.",
    "",
    table(
      ["deliveries stored", "storage bytes", "elapsed s"],
      storage.checkpoints.map((checkpoint) => [checkpoint.deliveries_total.toLocaleString("en-US"), checkpoint.storage_bytes.toLocaleString("en-US"), Math.round(checkpoint.elapsed_ms / 1000)]),
    ),
    "",
    `Last checkpoint ÷ 1,000 deliveries: ${storage.ratio_to_1000 ?? "n/a"}. Non-200 answers: ${storage.non_200}` +
      (storage.first_error === undefined ? "." : ` (first: \`${storage.first_error}\`).`),
    "The agent keeps the ids of its latest 5,000 deliveries for deduplication and prunes older ones, so storage grows until",
    "about 5,000 deliveries and then stays nearly flat.",
    storage.reached_target
      ? ""
      : `The time limit stopped the run at ${reached.toLocaleString("en-US")} deliveries, short of ${storage.target_deliveries.toLocaleString("en-US")}.`,
    "",
  ];
}

/** Returns one line per target that this run missed, with where the cost sits. */
function misses(report: BenchReport): string[] {
  const found: string[] = [];
  for (const result of report.calls ?? []) {
    if (result.mode !== "card" || result.deliveries_sent < 100 || result.calls_per_delivery < CALLS_PER_DELIVERY_TARGET) continue;
    const perStream = result.key.startsWith("spread") ? " Each of the 50 streams receives only 20 deliveries, and every" : " Every";
    found.push(
      `- ${result.label}: ${result.calls_per_delivery} card calls per delivery, not under the ${CALLS_PER_DELIVERY_TARGET} target.${perStream}` +
        " repin costs a fixed set of calls (src/agent/repin.ts: sendMessage, pinChatMessage, then deleteMessage for the" +
        " old card, and the bot's deleteMessage of the pin's service message in src/bot/webhook.ts)," +
        " so calls per delivery is those 4 calls over the deliveries one stream receives per debounce window.",
    );
  }
  for (const run of ["sequential", "concurrent"] as const) {
    const ratio = report.ack?.[run].p50_ratio;
    if (ratio === undefined || ratio <= ACK_P50_RATIO_TARGET) continue;
    found.push(
      `- Acknowledgement p50 (${run}) is ${ratio}× the floor's, over the ${ACK_P50_RATIO_TARGET}× target. Beyond the floor's bare 200, tgk` +
        " checks the HMAC, parses and reduces the payload (src/github/webhook.ts) and makes one Durable Object call that reads," +
        " updates and rewrites the stream's state and moves its alarm (TopicAgent.ingest in src/agent/topic-agent.ts). This run" +
        " does not profile how the time splits between them.",
    );
  }
  for (const result of report.freshness ?? []) {
    if (result.trickle.late > 0) found.push(`- ${result.trickle.late} trickle card(s) came later than max wait at ${result.debounce_ms}/${result.max_wait_ms}.`);
  }
  if (report.storage !== undefined && !report.storage.reached_target) found.push("- Storage did not reach 100,000 deliveries within its time limit.");
  return found;
}

export function renderReport(report: BenchReport): string {
  const { machine } = report;
  const missed = misses(report);
  const lines = [
    "# Benchmarks",
    "",
    "Produced by `npm run bench` (bench/run.ts), which writes this page and docs/benchmarks.json. Everything runs on",
    "127.0.0.1: the hub under `wrangler dev` (workerd), the Telegram Bot API emulator, and the floor Worker of",
    "bench/floor/ as the baseline. Absolute times on a shared machine drift, so each figure is read as a ratio against",
    "a baseline measured in the same run. Payloads are the `pull_request` \"opened\" example of",
    "@octokit/webhooks-examples with a unique title and a later `updated_at` per delivery.",
    "",
    "## Machine",
    "",
    table(
      ["nproc", "memory", "CPU", "Node", "wrangler", "workerd", "date"],
      [[machine.nproc, `${machine.memory_gib} GiB`, machine.cpu_model, machine.node, machine.wrangler, machine.workerd, machine.date]],
    ),
    "",
    `The run took ${report.total_seconds ?? "n/a"} s (${Object.entries(report.step_seconds).map(([name, seconds]) => `${name} ${seconds} s`).join(", ")}).`,
    "",
    "## Targets",
    "",
    ...(missed.length === 0 ? ["Every target was met in this run."] : ["Missed in this run:", "", ...missed]),
    "",
    ...(report.calls !== undefined && report.calls.length > 0 ? callsSection(report.calls) : []),
    ...(report.ack !== undefined ? ackSection(report.ack) : []),
    ...(report.throughput !== undefined ? throughputSection(report.throughput) : []),
    ...(report.freshness !== undefined ? freshnessSection(report.freshness) : []),
    ...bundleSection(report.bundle, report.startup),
    ...(report.storage !== undefined ? storageSection(report.storage) : []),
  ];
  if (report.errors.length > 0) {
    lines.push("## Steps that failed", "", ...report.errors.map((error) => `- ${error.step}: ${error.message}`), "");
  }
  return `${lines.join("\n").replace(/\n{3,}/g, "\n\n").trimEnd()}\n`;
}
