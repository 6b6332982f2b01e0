/**
 * Figure 2: webhook acknowledgement latency, tgk against the floor Worker's bare 200 on the same
 * workerd. Latency is the client's time from sending the request to reading the whole response.
 */
import { buildDelivery, percentile, postDelivery, round, runBounded } from "../lib/http.ts";

const SEQUENTIAL_REQUESTS = 300;
const CONCURRENT_REQUESTS = 400;
const CONCURRENCY = 16;
const TIME_LIMIT_MS = 30_000;
/** Requests to each target before measuring, so connections and isolates are warm. */
const WARMUP_REQUESTS = 20;

export interface LatencySummary {
  requests: number;
  non_200: number;
  p50_ms: number;
  p99_ms: number;
}

export interface AckResult {
  sequential: { tgk: LatencySummary; floor: LatencySummary; p50_ratio: number; p99_ratio: number };
  concurrent: { concurrency: number; tgk: LatencySummary; floor: LatencySummary; p50_ratio: number; p99_ratio: number };
}

function summarize(samples: { status: number; latencyMs: number }[]): LatencySummary {
  const latencies = samples.map((sample) => sample.latencyMs);
  return {
    requests: samples.length,
    non_200: samples.filter((sample) => sample.status !== 200).length,
    p50_ms: round(percentile(latencies, 50)),
    p99_ms: round(percentile(latencies, 99)),
  };
}

export async function measureAck(hubUrl: string, floorUrl: string): Promise<AckResult> {
  const targets = { tgk: `${hubUrl}/github/bench-ack`, floor: `${floorUrl}/` };
  for (const url of Object.values(targets)) {
    for (let i = 0; i < WARMUP_REQUESTS; i += 1) await postDelivery(url, buildDelivery());
  }

  // Sequential: the two targets alternate, so drift on a shared machine hits both alike.
  const sequential = { tgk: [] as { status: number; latencyMs: number }[], floor: [] as { status: number; latencyMs: number }[] };
  const sequentialStart = performance.now();
  for (let i = 0; i < SEQUENTIAL_REQUESTS && performance.now() - sequentialStart < TIME_LIMIT_MS; i += 1) {
    sequential.tgk.push(await postDelivery(targets.tgk, buildDelivery()));
    sequential.floor.push(await postDelivery(targets.floor, buildDelivery()));
  }

  // Concurrent: two rounds of half the requests each, floor and tgk taking turns.
  const concurrent = { tgk: [] as { status: number; latencyMs: number }[], floor: [] as { status: number; latencyMs: number }[] };
  for (let round = 0; round < 2; round += 1) {
    for (const name of ["floor", "tgk"] as const) {
      await runBounded(CONCURRENT_REQUESTS / 2, CONCURRENCY, TIME_LIMIT_MS, async () => {
        concurrent[name].push(await postDelivery(targets[name], buildDelivery()));
      });
    }
  }

  const seq = { tgk: summarize(sequential.tgk), floor: summarize(sequential.floor) };
  const con = { tgk: summarize(concurrent.tgk), floor: summarize(concurrent.floor) };
  return {
    sequential: { ...seq, p50_ratio: round(seq.tgk.p50_ms / seq.floor.p50_ms), p99_ratio: round(seq.tgk.p99_ms / seq.floor.p99_ms) },
    concurrent: {
      concurrency: CONCURRENCY,
      ...con,
      p50_ratio: round(con.tgk.p50_ms / con.floor.p50_ms),
      p99_ratio: round(con.tgk.p99_ms / con.floor.p99_ms),
    },
  };
}
