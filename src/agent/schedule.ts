/** When the agent's alarm should next publish, from its publish record. */
import type { Config } from "../config.ts";
import type { FailureKind } from "../telegram/failures.ts";
import type { PublishRecord } from "./agent-store.ts";

/** Returns true while the record has work left for the alarm. */
export function hasWork(record: PublishRecord): boolean {
  return (
    record.in_flight !== undefined ||
    record.stale_message_ids.length > 0 ||
    record.forced ||
    record.revision > record.published_revision
  );
}

/**
 * Debounce: publish DEBOUNCE_MS after the latest delivery, but no later than MAX_WAIT_MS after the
 * first pending one. A forced repin or an unfinished repin runs at once. Nothing runs before
 * `retry_at`. Returns null when there is nothing to do.
 */
export function nextPublishAt(record: PublishRecord, config: Pick<Config, "debounceMs" | "maxWaitMs">, now: number): number | null {
  if (!hasWork(record)) return null;

  let at = now;
  const waitingOnDeliveries = !record.forced && record.in_flight === undefined && record.stale_message_ids.length === 0;
  if (waitingOnDeliveries) {
    const last = record.last_delivery_at ?? now;
    const first = record.first_pending_at ?? last;
    at = Math.min(last + config.debounceMs, first + config.maxWaitMs);
  }
  if (record.retry_at !== undefined) at = Math.max(at, record.retry_at);
  // workerd may drop an alarm set to the current instant from inside alarm(), so never ask for "now".
  return Math.max(at, now + 1);
}

const SECOND_MS = 1_000;
const MINUTE_MS = 60 * SECOND_MS;

/** Returns the wait after the n-th failure in a row (n starts at 1), in ms. */
export function retryDelayMs(kind: FailureKind, failuresInARow: number, retryAfterSeconds?: number): number {
  const n = Math.max(1, failuresInARow);
  switch (kind) {
    case "rate_limited":
      return (retryAfterSeconds ?? 5) * SECOND_MS;
    case "migrated":
      return 0;
    case "unavailable":
      return Math.min(SECOND_MS * 2 ** n, 5 * MINUTE_MS);
    default:
      // Rights, closed topics, a wrong token: a person has to act, so retry slowly.
      return Math.min(30 * SECOND_MS * 2 ** (n - 1), 30 * MINUTE_MS);
  }
}
