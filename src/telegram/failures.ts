/**
 * Bot API failures as data: what went wrong and what the caller should do about it.
 *
 * Descriptions are Telegram's own (tdlib/telegram-bot-api): the server prefixes them with
 * "Bad Request: " or "Forbidden: " and lower-cases the first letter unless it starts an upper-case
 * code such as TOPIC_CLOSED.
 */

export type FailureKind =
  /** 429: wait `retry_after` seconds. */
  | "rate_limited"
  /** 5xx, a network error or a timeout: back off and retry. */
  | "unavailable"
  /** The message to unpin or delete is already gone, or nothing changed: the step is done. */
  | "already_done"
  /** The message to pin or edit no longer exists: send a new one. */
  | "message_gone"
  /** The message exists but cannot be deleted, e.g. the bot's own message after 48 hours. */
  | "undeletable"
  /** The group became a supergroup: retry at `migrate_to_chat_id`. */
  | "migrated"
  /** Rights, membership, closed or deleted topic: needs a person; retry later without losing state. */
  | "blocked"
  /** 401: the bot token is wrong. */
  | "unauthorized"
  /** Any other 4xx: the request itself is wrong. */
  | "rejected";

export interface BotApiFailure {
  kind: FailureKind;
  method: string;
  /** Telegram's error_code, or 0 for a network error or timeout. */
  error_code: number;
  description: string;
  retry_after?: number;
  migrate_to_chat_id?: number;
}

const ALREADY_DONE = [
  "message to unpin not found",
  "message to delete not found",
  "message is not modified",
];
const MESSAGE_GONE = ["message to pin not found", "message to edit not found", "message to reply not found"];
const BLOCKED = [
  "not enough rights",
  "TOPIC_CLOSED",
  "TOPIC_DELETED",
  "message thread not found",
  "message thread is not a forum topic thread",
  "chat not found",
  "bot was kicked",
  "bot is not a member",
  "have no rights",
  "CHAT_ADMIN_REQUIRED",
  "CHAT_WRITE_FORBIDDEN",
];

export function classifyFailure(
  method: string,
  error_code: number,
  description: string,
  parameters: { retry_after?: number; migrate_to_chat_id?: number } = {},
): BotApiFailure {
  const failure = { method, error_code, description };
  if (error_code === 429) return { ...failure, kind: "rate_limited", retry_after: parameters.retry_after ?? 5 };
  if (parameters.migrate_to_chat_id !== undefined) {
    return { ...failure, kind: "migrated", migrate_to_chat_id: parameters.migrate_to_chat_id };
  }
  if (error_code === 0 || error_code >= 500) return { ...failure, kind: "unavailable" };
  if (error_code === 401) return { ...failure, kind: "unauthorized" };
  if (ALREADY_DONE.some((text) => description.includes(text))) return { ...failure, kind: "already_done" };
  if (description.includes("message can't be deleted")) return { ...failure, kind: "undeletable" };
  if (MESSAGE_GONE.some((text) => description.includes(text))) return { ...failure, kind: "message_gone" };
  if (error_code === 403 || BLOCKED.some((text) => description.includes(text))) return { ...failure, kind: "blocked" };
  return { ...failure, kind: "rejected" };
}
