/**
 * Figure 3: ingest throughput, deliveries per second stored by tgk against the floor Worker's one
 * SQLite row per request, into one stream (one Durable Object) and spread over 100.
 */
import { buildDelivery, postDelivery, round, runBounded } from "../lib/http.ts";

const REQUESTS = 2_000;
const CONCURRENCY = 32;
const TIME_LIMIT_MS = 15_000;

export interface ThroughputRun {
  requests: number;
  /** Answers by HTTP status; 0 counts requests whose connection failed. */
  answers: Record<string, number>;
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
  const run = await runBounded(REQUESTS, CONCURRENCY, TIME_LIMIT_MS, async (index) => {
    const result = await postDelivery(urlFor(index), buildDelivery());
    answers[result.status] = (answers[result.status] ?? 0) + 1;
  });
  return { requests: run.done, answers, elapsed_ms: Math.round(run.elapsedMs), per_second: round((answers[200] ?? 0) / (run.elapsedMs / 1000), 1) };
}

export async function measureThroughput(hubUrl: string, floorUrl: string): Promise<ThroughputResult> {
  const floorOne = await drive(() => `${floorUrl}/do/bench-one`);
  const tgkOne = await drive(() => `${hubUrl}/github/bench-one`);
  const floorMany = await drive((index) => `${floorUrl}/do/bench-many-${index % 100}`);
  const tgkMany = await drive((index) => `${hubUrl}/github/bench-many-${index % 100}`);
  return {
    concurrency: CONCURRENCY,
    one_stream: { tgk: tgkOne, floor: floorOne, ratio: round(tgkOne.per_second / floorOne.per_second) },
    hundred_streams: { tgk: tgkMany, floor: floorMany, ratio: round(tgkMany.per_second / floorMany.per_second) },
  };
}
