/** Deliveries, signing, ports and bounded request loops for the benchmark. */
import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { freePort, signBody } from "../../scripts/loopback.ts";

export const GITHUB_SECRET = "sandbox-github-secret";

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export { freePort };

type Payload = Record<string, unknown> & { pull_request: Record<string, unknown> };

let basePayload: Payload | undefined;

/** Loads the first `pull_request` "opened" example of @octokit/webhooks-examples, once. */
function pullRequestExample(): Payload {
  if (basePayload !== undefined) return basePayload;
  const require = createRequire(import.meta.url);
  const path = require.resolve("@octokit/webhooks-examples/api.github.com/index.json");
  const events = JSON.parse(readFileSync(path, "utf8")) as { name: string; examples: Record<string, unknown>[] }[];
  const example = events.find((event) => event.name === "pull_request")?.examples.find((payload) => payload.action === "opened");
  if (example === undefined) throw new Error(`no pull_request "opened" example in ${path}`);
  basePayload = example as Payload;
  return basePayload;
}

let sequence = 0;

/**
 * Builds one signed pull_request delivery. The title is unique and updated_at increases with every
 * call, so the card shows the newest delivery's title whatever order deliveries arrive in.
 */
export function buildDelivery(title?: string): { id: string; title: string; body: string; signature: string } {
  sequence += 1;
  const base = pullRequestExample();
  const finalTitle = title ?? `bench delivery ${sequence}`;
  const updatedAt = new Date(Date.UTC(2030, 0, 1) + sequence * 1_000).toISOString();
  const payload = { ...base, pull_request: { ...base.pull_request, title: finalTitle, updated_at: updatedAt } };
  const body = JSON.stringify(payload);
  return { id: randomUUID(), title: finalTitle, body, signature: signBody(body, GITHUB_SECRET) };
}

export interface PostResult {
  status: number;
  latencyMs: number;
  /** The start of the response body (or the connection error) when the status is not 200. */
  error?: string;
}

/** POSTs one delivery and returns its status and the time to the full response (0 when the connection failed). */
export async function postDelivery(url: string, delivery: ReturnType<typeof buildDelivery>): Promise<PostResult> {
  const startedAt = performance.now();
  try {
    const response = await fetch(url, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        "x-github-event": "pull_request",
        "x-github-delivery": delivery.id,
        "x-hub-signature-256": delivery.signature,
      },
      body: delivery.body,
    });
    const text = await response.text();
    const latencyMs = performance.now() - startedAt;
    return response.status === 200 ? { status: 200, latencyMs } : { status: response.status, latencyMs, error: text.slice(0, 300) };
  } catch (error) {
    return { status: 0, latencyMs: performance.now() - startedAt, error: error instanceof Error ? error.message : String(error) };
  }
}

/**
 * Runs `task(i)` for i = 0..count-1 with at most `concurrency` in flight, and stops starting new
 * tasks once `timeLimitMs` has passed. Returns how many ran and the elapsed milliseconds.
 */
export async function runBounded(
  count: number,
  concurrency: number,
  timeLimitMs: number,
  task: (index: number) => Promise<void>,
): Promise<{ done: number; elapsedMs: number }> {
  const startedAt = performance.now();
  let next = 0;
  let done = 0;
  const worker = async (): Promise<void> => {
    while (next < count && performance.now() - startedAt < timeLimitMs) {
      const index = next;
      next += 1;
      await task(index);
      done += 1;
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
  return { done, elapsedMs: performance.now() - startedAt };
}

/** Returns the p-th percentile (0-100) of the values by the nearest-rank method, or NaN when empty. */
export function percentile(values: number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length)));
  return sorted[rank - 1] ?? Number.NaN;
}

/** Rounds to `digits` decimals for the report. */
export function round(value: number, digits = 2): number {
  const scale = 10 ** digits;
  return Math.round(value * scale) / scale;
}
