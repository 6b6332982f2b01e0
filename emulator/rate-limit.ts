/**
 * The per-chat sending limit: at most N sends and edits to one chat in any 60 s window. The Bot
 * FAQ allows no more than 20 messages per minute to the same group, and edits share that limit.
 */

import { tooManyRequests } from "./errors.ts";

export const RATE_WINDOW_MS = 60_000;
export const DEFAULT_RATE_LIMIT_PER_MINUTE = 20;

export class ChatRateLimiter {
  /** Sends allowed per chat per window; 0 turns the limit off. */
  limitPerMinute = DEFAULT_RATE_LIMIT_PER_MINUTE;
  private readonly sentAtMs = new Map<number, number[]>();

  /** Throws 429 with retry_after set to the seconds until the window frees a slot. */
  check(chatId: number, nowMs = Date.now()): void {
    if (this.limitPerMinute <= 0) return;
    const recent = this.recent(chatId, nowMs);
    if (recent.length < this.limitPerMinute) return;

    const oldestInWindow = recent[recent.length - this.limitPerMinute] ?? nowMs;
    const retryAfterSeconds = Math.max(1, Math.ceil((oldestInWindow + RATE_WINDOW_MS - nowMs) / 1000));
    throw tooManyRequests(retryAfterSeconds);
  }

  record(chatId: number, nowMs = Date.now()): void {
    const recent = this.recent(chatId, nowMs);
    recent.push(nowMs);
    this.sentAtMs.set(chatId, recent);
  }

  clear(): void {
    this.sentAtMs.clear();
  }

  private recent(chatId: number, nowMs: number): number[] {
    return (this.sentAtMs.get(chatId) ?? []).filter((at) => at > nowMs - RATE_WINDOW_MS);
  }
}
