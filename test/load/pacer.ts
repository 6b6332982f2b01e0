/** Sends planned deliveries at a fixed rate with a cap on requests in flight, recording each result. */
import { type PlannedDelivery, deliveryBody, signBody } from "./deliveries.ts";

export interface SendResult {
  planned: PlannedDelivery;
  /** HTTP status, or 0 when the request failed without a response. */
  status: number;
  latencyMs: number;
  error?: string;
}

export interface PaceOptions {
  hubUrl: string;
  secret: string;
  durationMs: number;
  maxInFlight: number;
  /** Per-request timeout; GitHub itself gives up after 10 s. */
  timeoutMs: number;
}

async function sendOne(planned: PlannedDelivery, options: PaceOptions): Promise<SendResult> {
  const body = deliveryBody(planned);
  const started = performance.now();
  try {
    const response = await fetch(`${options.hubUrl}/github/${planned.stream}`, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        "user-agent": "GitHub-Hookshot/load-test",
        "x-github-event": "pull_request",
        "x-github-delivery": planned.deliveryId,
        "x-github-hook-id": "1",
        "x-hub-signature-256": signBody(body, options.secret),
      },
      body,
      signal: AbortSignal.timeout(options.timeoutMs),
    });
    await response.arrayBuffer();
    return { planned, status: response.status, latencyMs: performance.now() - started };
  } catch (error) {
    return { planned, status: 0, latencyMs: performance.now() - started, error: error instanceof Error ? error.message : String(error) };
  }
}

/**
 * Starts delivery k at `k * durationMs / total` after the start, or later when `maxInFlight`
 * requests are still open, so a slow hub lowers the rate instead of piling up connections.
 */
export async function sendPaced(deliveries: readonly PlannedDelivery[], options: PaceOptions): Promise<{ results: SendResult[]; elapsedMs: number }> {
  const intervalMs = options.durationMs / deliveries.length;
  const results: SendResult[] = [];
  const inFlight = new Set<Promise<void>>();
  const started = performance.now();

  for (const [index, planned] of deliveries.entries()) {
    const dueIn = started + index * intervalMs - performance.now();
    if (dueIn > 1) await new Promise((resolve) => setTimeout(resolve, dueIn));
    while (inFlight.size >= options.maxInFlight) await Promise.race(inFlight);

    const request: Promise<void> = sendOne(planned, options).then((result) => {
      results.push(result);
      inFlight.delete(request);
    });
    inFlight.add(request);
  }
  await Promise.all(inFlight);
  return { results, elapsedMs: performance.now() - started };
}

/** Returns the `fraction` quantile (0 to 1) of `values` by the nearest-rank method. */
export function quantile(values: readonly number[], fraction: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil(fraction * sorted.length) - 1));
  return sorted[rank]!;
}
