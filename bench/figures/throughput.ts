/**
 * Figure 3: ingest throughput, deliveries per second stored by tgk against the floor Worker's one
 * SQLite row per request, into one stream (one Durable Object) and spread over 100.
 */
import { buildDelivery, postDelivery, round, runBounded } from "../lib/http.ts";

/** Requests per round; each target runs two rounds. */
const REQUESTS = 1_000;
const CONCURRENCY = 32;
const TIME_LIMIT_MS = 10_000;

export interface ThroughputRun {
  requests: number;
  /** Response count by HTTP status; 0 counts requests whose connection failed. */
  answers: Record<string, number>;
  /** The first error body per status other than 200. */
  errors: Record<string, string>;
  elapsed_ms: number;
  per_second: number;
}

export interface ThroughputResult {
  concurrency: number;
  one_stream: { tgk: ThroughputRun; floor: ThroughputRun; ratio: number };
  hundred_streams: { tgk: ThroughputRun; floor: ThroughputRun; ratio: number };
}

async function drive(urlFor: (index: number) => string): Promise<ThroughputRun> {
  const answers: Record<string, number> = {};
  const errors: Record<string, string> = {};
  const run = await runBounded(REQUESTS, CONCURRENCY, TIME_LIMIT_MS, async (index) => {
    const result = await postDelivery(urlFor(index), buildDelivery());
    answers[result.status] = (answers[result.status] ?? 0) + 1;
    if (result.error !== undefined) errors[result.status] ??= result.error;
  });
  return { requests: run.done, answers, errors, elapsed_ms: Math.round(run.elapsedMs), per_second: round((answers[200] ?? 0) / (run.elapsedMs / 1000), 1) };
}

/** Adds a second round's figures to the first's. */
function combine(first: ThroughputRun, second: ThroughputRun): ThroughputRun {
  const answers: Record<string, number> = { ...first.answers };
  for (const [status, count] of Object.entries(second.answers)) answers[status] = (answers[status] ?? 0) + count;
  const elapsedMs = first.elapsed_ms + second.elapsed_ms;
  return {
    requests: first.requests + second.requests,
    answers,
    errors: { ...second.errors, ...first.errors },
    elapsed_ms: elapsedMs,
    per_second: round((answers[200] ?? 0) / (elapsedMs / 1000), 1),
  };
}

/** Drives floor and tgk in two rounds each, taking turns, so drift on a shared machine hits both alike. */
async function compare(floorUrl: (index: number) => string, tgkUrl: (index: number) => string): Promise<{ tgk: ThroughputRun; floor: ThroughputRun; ratio: number }> {
  const floorFirst = await drive(floorUrl);
  const tgkFirst = await drive(tgkUrl);
  const floorSecond = await drive(floorUrl);
  const tgkSecond = await drive(tgkUrl);
  const floor = combine(floorFirst, floorSecond);
  const tgk = combine(tgkFirst, tgkSecond);
  return { tgk, floor, ratio: round(tgk.per_second / floor.per_second) };
}

export async function measureThroughput(hubUrl: string, floorUrl: string): Promise<ThroughputResult> {
  return {
    concurrency: CONCURRENCY,
    one_stream: await compare(() => `${floorUrl}/do/bench-one`, () => `${hubUrl}/github/bench-one`),
    hundred_streams: await compare((index) => `${floorUrl}/do/bench-many-${index % 100}`, (index) => `${hubUrl}/github/bench-many-${index % 100}`),
  };
}
