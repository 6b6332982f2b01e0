/**
 * The topic agent's SQLite storage: the stream state, the publish record and the ids of recent
 * deliveries. Every method is synchronous, so writes made together commit together.
 */
import type { TopicBinding } from "../config.ts";
import { type StreamState, emptyState } from "./stream-state.ts";

/** Delivery ids remembered for deduplication; GitHub redelivers by hand, usually within days. */
export const MAX_REMEMBERED_DELIVERIES = 5_000;

/** A Bot API failure recorded on the stream for /status and the logs. */
export interface RecordedError {
  at: number;
  method: string;
  error_code: number;
  description: string;
  kind: string;
}

/**
 * Publish record: the pinned card and the repin in progress. The agent writes it before and after
 * every Bot API call, so a restart resumes at the step that did not finish.
 */
export interface PublishRecord {
  pinned_message_id?: number;
  /** HTML of the pinned card, to skip a repin when nothing changed. */
  pinned_card?: string;
  pinned_at?: number;
  /** The card being published: "sending" before sendMessage returns, "sent" once it has an id. */
  in_flight?: { phase: "sending" | "sent"; card: string; revision: number; message_id?: number; started_at: number };
  /** Earlier cards still to delete. */
  stale_message_ids: number[];
  /** Counts state changes; the card shows `published_revision`. */
  revision: number;
  published_revision: number;
  /** Deliveries accepted since the last publish, and when the first and latest of them came. */
  pending_count: number;
  first_pending_at?: number;
  last_delivery_at?: number;
  forced: boolean;
  last_forced_at?: number;
  /** No Bot API call before this time (429 retry_after, backoff, or the chat's send budget). */
  retry_at?: number;
  /** Why retry_at is set: a failure kind, or "budget" for the chat's send budget. */
  retry_reason?: string;
  failures_in_a_row: number;
  last_error?: RecordedError;
  last_published_at?: number;
  /** Set when Telegram moved the chat (group upgraded to supergroup). */
  migrated_chat_id?: number;
}

export interface AgentMeta {
  stream?: string;
  /** A binding made from chat with /bind; config's STREAMS wins over it. */
  binding?: TopicBinding;
  deliveries_total: number;
}

export class AgentStore {
  readonly #sql: SqlStorage;

  constructor(sql: SqlStorage) {
    this.#sql = sql;
    sql.exec(`CREATE TABLE IF NOT EXISTS documents (name TEXT PRIMARY KEY, value TEXT NOT NULL)`);
    sql.exec(`CREATE TABLE IF NOT EXISTS deliveries (
      seq INTEGER PRIMARY KEY AUTOINCREMENT,
      id TEXT NOT NULL UNIQUE,
      event TEXT NOT NULL,
      received_at INTEGER NOT NULL
    )`);
  }

  #read<T>(name: string, fallback: () => T): T {
    const row = this.#sql.exec<{ value: string }>(`SELECT value FROM documents WHERE name = ?`, name).toArray()[0];
    return row === undefined ? fallback() : (JSON.parse(row.value) as T);
  }

  #write(name: string, value: unknown): void {
    this.#sql.exec(`INSERT OR REPLACE INTO documents (name, value) VALUES (?, ?)`, name, JSON.stringify(value));
  }

  readState(): StreamState {
    return this.#read("state", emptyState);
  }

  writeState(state: StreamState): void {
    this.#write("state", state);
  }

  readPublish(): PublishRecord {
    return this.#read<PublishRecord>("publish", () => ({
      stale_message_ids: [],
      revision: 0,
      published_revision: 0,
      pending_count: 0,
      forced: false,
      failures_in_a_row: 0,
    }));
  }

  writePublish(record: PublishRecord): void {
    this.#write("publish", record);
  }

  readMeta(): AgentMeta {
    return this.#read<AgentMeta>("meta", () => ({ deliveries_total: 0 }));
  }

  writeMeta(meta: AgentMeta): void {
    this.#write("meta", meta);
  }

  /** Records a delivery id; returns false when it was seen before. */
  rememberDelivery(id: string, event: string, receivedAt: number): boolean {
    if (this.hasDelivery(id)) return false;
    this.#sql.exec(`INSERT INTO deliveries (id, event, received_at) VALUES (?, ?, ?)`, id, event, receivedAt);

    // Forget the oldest ids in batches, so the table stays between the limit and 10% over it.
    const seq = this.#sql.exec<{ seq: number }>(`SELECT last_insert_rowid() AS seq`).one().seq;
    if (seq % 500 === 0) {
      this.#sql.exec(`DELETE FROM deliveries WHERE seq <= ?`, seq - MAX_REMEMBERED_DELIVERIES);
    }
    return true;
  }

  hasDelivery(id: string): boolean {
    return this.#sql.exec(`SELECT 1 FROM deliveries WHERE id = ?`, id).toArray().length > 0;
  }

  countDeliveries(): number {
    return this.#sql.exec<{ count: number }>(`SELECT COUNT(*) AS count FROM deliveries`).one().count;
  }

  /** Bytes of SQLite storage this object uses. */
  get databaseSize(): number {
    return this.#sql.databaseSize;
  }
}
