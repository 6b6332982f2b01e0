/**
 * Webhook settings and update delivery: POSTs each Update as JSON to the webhook URL with the
 * X-Telegram-Bot-Api-Secret-Token header, retrying non-2xx responses a few times.
 *
 * NOTE: Telegram keeps an undelivered update and retries it for hours. The emulator gives up after
 * WEBHOOK_MAX_ATTEMPTS and counts the update in pending_update_count, so a test sees the failure
 * at once.
 */

import { setTimeout as sleep } from "node:timers/promises";

export const WEBHOOK_MAX_ATTEMPTS = 3;
export const WEBHOOK_RETRY_DELAY_MS = 100;
export const WEBHOOK_TIMEOUT_MS = 10_000;

/** Update types an empty allowed_updates list leaves out (Bot API, setWebhook). */
const EXCLUDED_BY_DEFAULT = new Set(["chat_member", "message_reaction", "message_reaction_count"]);

export type WebhookConfig = {
  url: string;
  secret_token?: string;
  allowed_updates: string[];
  pending_update_count: number;
  last_error_date?: number;
  last_error_message?: string;
  max_connections: number;
};

export type DeliveryResult = { update_id: number; delivered: boolean; status?: number; attempts: number };

export function emptyWebhookConfig(): WebhookConfig {
  return { url: "", allowed_updates: [], pending_update_count: 0, max_connections: 40 };
}

export function isUpdateAllowed(config: WebhookConfig, updateType: string): boolean {
  if (config.allowed_updates.length === 0) return !EXCLUDED_BY_DEFAULT.has(updateType);
  return config.allowed_updates.includes(updateType);
}

/** Returns true when the URL points at this machine, the only place the emulator delivers to. */
export function isLoopbackUrl(url: URL): boolean {
  return ["127.0.0.1", "localhost", "[::1]"].includes(url.hostname);
}

export class WebhookDelivery {
  config: WebhookConfig = emptyWebhookConfig();
  private nextUpdateId = 100_000_001;
  private readonly closing = new AbortController();

  reset(): void {
    this.config = emptyWebhookConfig();
  }

  /** Aborts deliveries in flight; used when the server closes. */
  close(): void {
    this.closing.abort();
  }

  /** Sends one update of the given type; skipped types get an update_id but no attempt. */
  async deliver(updateType: string, payload: unknown): Promise<DeliveryResult> {
    const update_id = this.nextUpdateId++;
    if (!isUpdateAllowed(this.config, updateType)) return { update_id, delivered: false, attempts: 0 };

    const { url, secret_token } = this.config;
    if (url === "") {
      this.config.pending_update_count++;
      return { update_id, delivered: false, attempts: 0 };
    }

    const body = JSON.stringify({ update_id, [updateType]: payload });
    const headers: Record<string, string> = { "content-type": "application/json" };
    if (secret_token !== undefined) headers["x-telegram-bot-api-secret-token"] = secret_token;

    let status: number | undefined;
    for (let attempt = 1; attempt <= WEBHOOK_MAX_ATTEMPTS; attempt++) {
      if (attempt > 1) {
        try {
          await sleep(WEBHOOK_RETRY_DELAY_MS, undefined, { signal: this.closing.signal });
        } catch {
          break;
        }
      }
      try {
        const signal = AbortSignal.any([this.closing.signal, AbortSignal.timeout(WEBHOOK_TIMEOUT_MS)]);
        const response = await fetch(url, { method: "POST", headers, body, signal });
        status = response.status;
        await response.arrayBuffer();
        if (response.ok) return { update_id, delivered: true, status, attempts: attempt };
        this.recordError(`Wrong response from the webhook: ${response.status} ${response.statusText}`.trim());
      } catch (error) {
        status = undefined;
        this.recordError(describeFetchError(error));
      }
      const next = attempt < WEBHOOK_MAX_ATTEMPTS ? "retry" : "count as pending";
      console.error(JSON.stringify({
        event: "webhook_delivery_failed", update_id, attempt, status: status ?? null,
        error: this.config.last_error_message, next,
      }));
      if (this.closing.signal.aborted) return { update_id, delivered: false, status, attempts: attempt };
    }

    this.config.pending_update_count++;
    const result: DeliveryResult = { update_id, delivered: false, attempts: WEBHOOK_MAX_ATTEMPTS };
    if (status !== undefined) result.status = status;
    return result;
  }

  private recordError(message: string): void {
    this.config.last_error_date = Math.floor(Date.now() / 1000);
    this.config.last_error_message = message;
  }
}

function describeFetchError(error: unknown): string {
  const cause = error instanceof Error && error.cause instanceof Error ? error.cause : error;
  const code = typeof cause === "object" && cause !== null && "code" in cause ? String(cause.code) : "";
  if (code === "ECONNREFUSED") return "Connection refused";
  if (error instanceof Error && error.name === "TimeoutError") return "Connection timed out";
  return `Connection failed: ${cause instanceof Error ? cause.message : String(cause)}`;
}
