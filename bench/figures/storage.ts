/**
 * Figure 6: a stream's storage after many deliveries. storage_bytes is the topic agent's SQLite
 * database size from the debug endpoint, read at checkpoints on the way to 100,000 deliveries.
 */
import type { BenchHub } from "../lib/hub.ts";
import { buildDelivery, postDelivery, round, runBounded } from "../lib/http.ts";

export const TARGET_DELIVERIES = 100_000;
const CHECKPOINTS = [1_000, 5_000, 10_000, 25_000, 50_000, TARGET_DELIVERIES];
const CONCURRENCY = 32;

export interface StorageResult {
  target_deliveries: number;
  time_limit_ms: number;
  /** deliveries_total and storage_bytes from the agent at each checkpoint reached. */
  checkpoints: { deliveries_total: number; storage_bytes: number; elapsed_ms: number }[];
  non_200: number;
  /** Status and body (or connection error) of the first response other than 200. */
  first_error?: string;
  reached_target: boolean;
  /** storage_bytes at the last checkpoint over storage_bytes at 1,000. */
  ratio_to_1000: number | null;
}

/** Sends up to 100,000 deliveries to one stream, stopping early once `timeLimitMs` has passed. */
export async function measureStorage(hub: BenchHub, timeLimitMs: number): Promise<StorageResult> {
  const stream = "bench-storage";
  const startedAt = performance.now();
  const checkpoints: StorageResult["checkpoints"] = [];
  let non200 = 0;
  let firstError: string | undefined;
  let sent = 0;
  for (const checkpoint of CHECKPOINTS) {
    const remainingMs = timeLimitMs - (performance.now() - startedAt);
    if (remainingMs <= 0) break;
    const run = await runBounded(checkpoint - sent, CONCURRENCY, remainingMs, async () => {
      const result = await postDelivery(`${hub.url}/github/${stream}`, buildDelivery());
      if (result.status === 200) return;
      non200 += 1;
      firstError ??= `${result.status}: ${result.error ?? ""}`;
    });
    sent += run.done;
    const status = await hub.streamStatus(stream);
    checkpoints.push({ deliveries_total: status.deliveries_total, storage_bytes: status.storage_bytes, elapsed_ms: Math.round(performance.now() - startedAt) });
    console.log(`storage: ${JSON.stringify(checkpoints.at(-1))}`);
    if (sent < checkpoint) break;
  }
  const first = checkpoints[0];
  const last = checkpoints.at(-1);
  return {
    target_deliveries: TARGET_DELIVERIES,
    time_limit_ms: timeLimitMs,
    checkpoints,
    non_200: non200,
    ...(firstError !== undefined ? { first_error: firstError } : {}),
    reached_target: (last?.deliveries_total ?? 0) >= TARGET_DELIVERIES,
    ratio_to_1000: first !== undefined && last !== undefined && first.deliveries_total >= 1_000 ? round(last.storage_bytes / first.storage_bytes) : null,
  };
}
