/**
 * The chat agent: one Durable Object per Telegram chat, named `gh_chat_<chat_id>`. It stores the
 * topic bindings made with /bind, the bot's membership as Telegram last reported it, chat
 * migrations, and the chat's shared send budget. All topics of one chat share Telegram's limit of
 * about 20 messages a minute, so each topic agent reserves a send slot here before sendMessage.
 */
import { DurableObject } from "cloudflare:workers";

/** Sends per minute the chat's topics share; below Telegram's 20 to leave room for bot replies. */
export const CHAT_SENDS_PER_MINUTE = 18;
const WINDOW_MS = 60_000;
/** Added to the window when a slot waits for an older one to expire, for clock and network skew. */
const SKEW_MARGIN_MS = 250;
/** Reservations older than this that were never used are dropped (the topic crashed or gave up). */
const RESERVATION_TTL_MS = 5 * WINDOW_MS;

export interface Membership {
  status: string;
  can_pin_messages: boolean;
  can_delete_messages: boolean;
  at: number;
}

/** Key of a topic inside its chat: the thread id, or "general" for General and plain groups. */
export function topicKey(message_thread_id: number | undefined): string {
  return message_thread_id === undefined ? "general" : String(message_thread_id);
}

export function chatAgentName(chatId: number): string {
  return `gh_chat_${chatId}`;
}

export class ChatAgent extends DurableObject<Env> {
  readonly #sql: SqlStorage;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.#sql = ctx.storage.sql;
    this.#sql.exec(`CREATE TABLE IF NOT EXISTS bindings (topic TEXT PRIMARY KEY, stream TEXT NOT NULL, bound_at INTEGER NOT NULL)`);
    this.#sql.exec(`CREATE TABLE IF NOT EXISTS facts (name TEXT PRIMARY KEY, value TEXT NOT NULL)`);
    // One row per send slot: granted to a topic at a time, either used (sent) or still reserved.
    this.#sql.exec(`CREATE TABLE IF NOT EXISTS slots (topic TEXT NOT NULL, at INTEGER NOT NULL, used INTEGER NOT NULL DEFAULT 0)`);
  }

  bindTopic(topic: string, stream: string): string | null {
    const previous = this.streamForTopic(topic);
    this.#sql.exec(`INSERT OR REPLACE INTO bindings (topic, stream, bound_at) VALUES (?, ?, ?)`, topic, stream, Date.now());
    return previous;
  }

  /** Removes the topic's binding and returns the stream it had, if any. */
  unbindTopic(topic: string): string | null {
    const previous = this.streamForTopic(topic);
    this.#sql.exec(`DELETE FROM bindings WHERE topic = ?`, topic);
    return previous;
  }

  streamForTopic(topic: string): string | null {
    const row = this.#sql.exec<{ stream: string }>(`SELECT stream FROM bindings WHERE topic = ?`, topic).toArray()[0];
    return row?.stream ?? null;
  }

  #readFact<T>(name: string): T | null {
    const row = this.#sql.exec<{ value: string }>(`SELECT value FROM facts WHERE name = ?`, name).toArray()[0];
    return row === undefined ? null : (JSON.parse(row.value) as T);
  }

  #writeFact(name: string, value: unknown): void {
    this.#sql.exec(`INSERT OR REPLACE INTO facts (name, value) VALUES (?, ?)`, name, JSON.stringify(value));
  }

  recordMembership(membership: Membership): void {
    this.#writeFact("membership", membership);
  }

  membership(): Membership | null {
    return this.#readFact<Membership>("membership");
  }

  /** Records that this chat became another (group upgraded to supergroup), in both directions. */
  recordMigration(direction: "to" | "from", chatId: number): void {
    this.#writeFact(`migrated_${direction}`, chatId);
  }

  migratedFrom(): number | null {
    return this.#readFact<number>("migrated_from");
  }

  /**
   * Reserves the chat's next free send slot for `topic` and returns its time (epoch ms). A topic
   * has at most one reservation, so a busy topic cannot take several slots ahead of a quiet one:
   * slots go out first come, first served.
   */
  reserveSend(topic: string): number {
    const now = Date.now();
    this.#sql.exec(`DELETE FROM slots WHERE at < ?`, now - RESERVATION_TTL_MS);
    this.#sql.exec(`DELETE FROM slots WHERE used = 1 AND at < ?`, now - WINDOW_MS);

    const held = this.#sql.exec<{ at: number }>(`SELECT at FROM slots WHERE topic = ? AND used = 0`, topic).toArray()[0];
    if (held !== undefined) return held.at;

    const at = this.#nextFreeSlot(now);
    this.#sql.exec(`INSERT INTO slots (topic, at, used) VALUES (?, ?, 0)`, topic, at);
    return at;
  }

  /** Marks the topic's reservation as used by a send that happened now. */
  confirmSend(topic: string): void {
    const now = Date.now();
    const updated = this.#sql.exec(`UPDATE slots SET used = 1, at = ? WHERE rowid = (SELECT rowid FROM slots WHERE topic = ? AND used = 0 LIMIT 1)`, now, topic).rowsWritten;
    if (updated === 0) this.#sql.exec(`INSERT INTO slots (topic, at, used) VALUES (?, ?, 1)`, topic, now);
  }

  /** Counts a send that did not reserve a slot, such as a reply to a command. */
  countSend(): void {
    this.#sql.exec(`INSERT INTO slots (topic, at, used) VALUES ('reply', ?, 1)`, Date.now());
  }

  /** Earliest time at or after `now` when fewer than the limit of slots fall in the preceding minute. */
  #nextFreeSlot(now: number): number {
    const times = this.#sql.exec<{ at: number }>(`SELECT at FROM slots ORDER BY at`).toArray().map((row) => row.at);
    let candidate = Math.max(now, times.at(-1) ?? now);
    // Walk forward: a candidate works when the window (candidate - 60 s, candidate] contains fewer
    // slots than the limit. Otherwise it moves to just after the oldest slot in that window expires.
    for (;;) {
      const inWindow = times.filter((at) => at > candidate - WINDOW_MS && at <= candidate);
      if (inWindow.length < CHAT_SENDS_PER_MINUTE) return candidate;
      candidate = inWindow[inWindow.length - CHAT_SENDS_PER_MINUTE]! + WINDOW_MS + SKEW_MARGIN_MS;
    }
  }
}
