/**
 * Structured logs: one JSON line per delivery, per Bot API call and per publish.
 *
 * Fields use the platforms' own names (delivery_id, chat_id, message_thread_id). Callers never pass
 * secrets; `redact` strips the configured ones from error text that may echo a URL or header.
 */

export interface LogFields {
  msg: string;
  level?: "info" | "warn" | "error";
  delivery_id?: string;
  event?: string;
  action?: string;
  stream?: string;
  chat_id?: number;
  message_thread_id?: number;
  method?: string;
  outcome?: string;
  error_code?: number;
  description?: string;
  status?: number;
  duration_ms?: number;
  [key: string]: unknown;
}

export type LogLevel = "info" | "warn" | "error" | "silent";

const RANK: Record<LogLevel, number> = { info: 0, warn: 1, error: 2, silent: 3 };
let threshold: LogLevel = "info";

/** Sets the lowest level written, from the LOG_LEVEL var. */
export function setLogLevel(level: LogLevel): void {
  threshold = level;
}

export function log(fields: LogFields): void {
  if (RANK[fields.level ?? "info"] < RANK[threshold]) return;
  const line = JSON.stringify({ at: new Date().toISOString(), level: "info", ...fields });
  if (fields.level === "error") console.error(line);
  else if (fields.level === "warn") console.warn(line);
  else console.log(line);
}

/** Replaces every occurrence of the given secrets in `text` with `[redacted]`. */
export function redact(text: string, secrets: readonly string[]): string {
  let result = text;
  for (const secret of secrets) {
    if (secret.length >= 4) result = result.split(secret).join("[redacted]");
  }
  return result;
}
