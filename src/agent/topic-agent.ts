/**
 * The topic agent: one Durable Object per stream, named `gh_agent_<stream>`, that stores the
 * stream's deliveries and keeps exactly one status card pinned in its forum topic.
 *
 * Deliveries are stored synchronously before the RPC returns, so an accepted delivery is never
 * lost. All publishing runs in alarm(), which the runtime never runs twice at once, so no two repins
 * interleave; ingest() only moves the alarm.
 */
import { DurableObject } from "cloudflare:workers";
import type { Config, TopicBinding } from "../config.ts";
import { getConfig } from "../env.ts";
import { log } from "../log.ts";
import { BotApi, type BotApiFailure, type CallContext } from "../telegram/bot-api.ts";
import { chatAgentName, topicKey } from "./chat-agent.ts";
import { AgentStore, type PublishRecord, type RecordedError } from "./agent-store.ts";
import { renderCard } from "./card.ts";
import type { Delivery, IngestResult } from "./delivery.ts";
import { repin } from "./repin.ts";
import { nextPublishAt, retryDelayMs } from "./schedule.ts";
import { applyDelivery, type LastEvent } from "./stream-state.ts";

/** Forced repins (/repin, the Refresh button) per topic are at most one per this interval. */
export const REPIN_COOLDOWN_MS = 5_000;

/** Stream facts that /status shows. */
export interface StreamStatus {
  stream: string;
  binding?: TopicBinding & { source: "config" | "chat" };
  pinned_message_id?: number;
  pinned_at?: number;
  last_event?: LastEvent;
  pending_deliveries: number;
  next_publish_at: number | null;
  last_error?: RecordedError;
  last_published_at?: number;
  deliveries_total: number;
  debounce_ms: number;
  max_wait_ms: number;
  storage_bytes: number;
}

export type RepinRequest = { accepted: true; publish_at: number } | { accepted: false; retry_in_ms: number };

/** Failure kinds that only a person can fix; their slow retry yields to a forced repin. */
const NEEDS_A_PERSON: ReadonlySet<string> = new Set(["blocked", "unauthorized", "rejected"]);

export function agentName(stream: string): string {
  return `gh_agent_${stream}`;
}

export class TopicAgent extends DurableObject<Env> {
  readonly #store: AgentStore;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.#store = new AgentStore(ctx.storage.sql);
    // A local runtime may not fire an alarm whose time passed while it was down, so re-arm on wake.
    void ctx.blockConcurrencyWhile(async () => {
      if ((await ctx.storage.getAlarm()) === null) await this.#schedule();
    });
  }

  /** Stores one delivery and moves the publish alarm. Redeliveries of a stored id change nothing. */
  async ingest(stream: string, delivery: Delivery): Promise<IngestResult> {
    this.#learnStream(stream);
    const now = Date.now();

    // No await between these writes, so they commit together.
    // NOTE: every delivery parses and rewrites the whole state document; with 16 deliveries in flight
    // this puts acknowledgement p50 at 2.2 to 2.3x a Worker that writes one row (docs/benchmarks.md).
    const isNew = this.#store.rememberDelivery(delivery.id, delivery.event, delivery.received_at);
    if (isNew) {
      const state = this.#store.readState();
      applyDelivery(state, delivery);
      this.#store.writeState(state);
      this.#updatePublish((r) => {
        r.revision += 1;
        r.first_pending_at ??= now;
        r.last_delivery_at = now;
      });
      const meta = this.#store.readMeta();
      meta.deliveries_total += 1;
      this.#store.writeMeta(meta);
    }

    const publishAt = isNew ? await this.#schedule() : await this.ctx.storage.getAlarm();
    return { duplicate: !isNew, publish_at: publishAt };
  }

  /** Forces a repin through the alarm, even when the card is unchanged. */
  async requestRepin(stream: string): Promise<RepinRequest> {
    this.#learnStream(stream);
    const now = Date.now();
    const record = this.#store.readPublish();
    if (record.last_forced_at !== undefined && now - record.last_forced_at < REPIN_COOLDOWN_MS) {
      return { accepted: false, retry_in_ms: REPIN_COOLDOWN_MS - (now - record.last_forced_at) };
    }
    this.#updatePublish((r) => {
      r.forced = true;
      r.last_forced_at = now;
      // A maintainer repins after fixing rights or reopening the topic, so the slow retry for those
      // is skipped; Telegram's retry_after, server backoff and the chat's send budget still hold.
      if (r.retry_reason !== undefined && NEEDS_A_PERSON.has(r.retry_reason)) delete r.retry_at;
    });
    const publishAt = await this.#schedule();
    return { accepted: true, publish_at: publishAt ?? now };
  }

  /** Binds the stream to a topic from chat; config's STREAMS still wins for streams it names. */
  async bind(stream: string, binding: TopicBinding): Promise<void> {
    this.#learnStream(stream);
    const meta = this.#store.readMeta();
    meta.binding = binding;
    this.#store.writeMeta(meta);
    // The card belongs in the new topic now; the old one is left where it was.
    this.#updatePublish((r) => {
      delete r.pinned_message_id;
      delete r.pinned_card;
      delete r.in_flight;
      delete r.migrated_chat_id;
      r.stale_message_ids = [];
      r.forced = true;
      delete r.retry_at;
    });
    await this.#schedule();
  }

  async unbind(stream: string): Promise<void> {
    this.#learnStream(stream);
    const meta = this.#store.readMeta();
    delete meta.binding;
    this.#store.writeMeta(meta);
  }

  async status(stream: string): Promise<StreamStatus> {
    this.#learnStream(stream);
    const config = getConfig(this.env);
    const record = this.#store.readPublish();
    const meta = this.#store.readMeta();
    const binding = this.#binding(config);
    const state = this.#store.readState();
    return {
      stream,
      ...(binding !== undefined ? { binding } : {}),
      ...(record.pinned_message_id !== undefined ? { pinned_message_id: record.pinned_message_id } : {}),
      ...(record.pinned_at !== undefined ? { pinned_at: record.pinned_at } : {}),
      ...(state.last_event !== undefined ? { last_event: state.last_event } : {}),
      pending_deliveries: record.revision - record.published_revision,
      next_publish_at: await this.ctx.storage.getAlarm(),
      ...(record.last_error !== undefined ? { last_error: record.last_error } : {}),
      ...(record.last_published_at !== undefined ? { last_published_at: record.last_published_at } : {}),
      deliveries_total: meta.deliveries_total,
      debounce_ms: config.debounceMs,
      max_wait_ms: config.maxWaitMs,
      storage_bytes: this.#store.databaseSize,
    };
  }

  /** Returns the ids among `ids` that this stream has not stored. */
  async missingDeliveries(ids: string[]): Promise<string[]> {
    return ids.filter((id) => !this.#store.hasDelivery(id));
  }

  override async alarm(): Promise<void> {
    const meta = this.#store.readMeta();
    const stream = meta.stream ?? "unknown";
    let config: Config;
    try {
      config = getConfig(this.env);
    } catch (error) {
      log({ msg: "publish skipped: invalid configuration", level: "error", stream, description: String(error) });
      await this.ctx.storage.setAlarm(Date.now() + 60_000);
      return;
    }

    const target = this.#target(config);
    if (target === undefined) {
      this.#updatePublish((r) => {
        r.last_error = {
          at: Date.now(),
          method: "none",
          error_code: 0,
          description: `stream ${stream} is bound to no topic; add it to STREAMS or run /bind ${stream} in the topic`,
          kind: "unbound",
        };
      });
      log({ msg: "publish skipped: stream is bound to no topic", level: "warn", stream });
      return;
    }

    const record = this.#store.readPublish();
    if (record.retry_at !== undefined && Date.now() < record.retry_at) {
      await this.#schedule();
      return;
    }

    try {
      await this.#publish(config, target);
    } catch (error) {
      // Bot API failures come back as data; anything thrown here is a bug, so back off and log it.
      log({ msg: "publish crashed", level: "error", stream, description: error instanceof Error ? error.stack ?? error.message : String(error) });
      this.#updatePublish((r) => {
        r.failures_in_a_row += 1;
        r.retry_at = Date.now() + retryDelayMs("unavailable", r.failures_in_a_row);
        r.retry_reason = "crash";
      });
    }
    await this.#schedule();
  }

  async #publish(config: Config, target: CallContext): Promise<void> {
    const api = new BotApi(config.telegramBotToken, config.telegramApiRoot);
    const started = Date.now();
    const chat = this.env.CHAT_AGENT.get(this.env.CHAT_AGENT.idFromName(chatAgentName(target.chat_id)));
    const topic = topicKey(target.message_thread_id);
    const result = await repin({
      api,
      store: this.#store,
      target,
      now: Date.now,
      budget: { reserve: () => chat.reserveSend(topic), confirm: () => chat.confirmSend(topic) },
      render: () => {
        const state = this.#store.readState();
        return { card: renderCard(target.stream, state), revision: this.#store.readPublish().revision };
      },
    });

    if (result.status === "failed") {
      this.#recordFailure(result.failure);
      return;
    }
    if (result.status === "deferred") {
      this.#updatePublish((r) => {
        r.retry_at = result.until;
        r.retry_reason = "budget";
      });
      log({ msg: "publish deferred: chat send budget", stream: target.stream, chat_id: target.chat_id, outcome: "deferred", retry_at: new Date(result.until).toISOString() });
      return;
    }

    const now = Date.now();
    this.#updatePublish((r) => {
      r.failures_in_a_row = 0;
      delete r.retry_at;
      delete r.retry_reason;
      if (result.status === "published") r.last_published_at = now;
      if (r.revision > r.published_revision) r.first_pending_at = started;
      else delete r.first_pending_at;
    });
    log({
      msg: result.status === "published" ? "card published" : "card unchanged",
      stream: target.stream,
      chat_id: target.chat_id,
      ...(target.message_thread_id !== undefined ? { message_thread_id: target.message_thread_id } : {}),
      outcome: result.status,
      ...(result.status === "published" ? { message_id: result.message_id } : {}),
      duration_ms: now - started,
    });
  }

  #recordFailure(failure: BotApiFailure): void {
    const now = Date.now();
    const record = this.#updatePublish((r) => {
      r.failures_in_a_row += 1;
      r.last_error = { at: now, method: failure.method, error_code: failure.error_code, description: failure.description, kind: failure.kind };
      if (failure.kind === "migrated" && failure.migrate_to_chat_id !== undefined) r.migrated_chat_id = failure.migrate_to_chat_id;
      const delay = retryDelayMs(failure.kind, r.failures_in_a_row, failure.retry_after);
      r.retry_reason = failure.kind;
      if (delay > 0) r.retry_at = now + delay;
      else delete r.retry_at;
    });
    log({
      msg: "publish failed",
      level: failure.kind === "rate_limited" || failure.kind === "unavailable" ? "warn" : "error",
      stream: this.#store.readMeta().stream,
      method: failure.method,
      outcome: failure.kind,
      error_code: failure.error_code,
      description: failure.description,
      retry_at: record.retry_at !== undefined ? new Date(record.retry_at).toISOString() : "now",
    });
  }

  #binding(config: Config): (TopicBinding & { source: "config" | "chat" }) | undefined {
    const meta = this.#store.readMeta();
    const stream = meta.stream;
    if (stream === undefined) return undefined;
    const configured = config.streams[stream];
    if (configured !== undefined) return { ...configured, source: "config" };
    return meta.binding !== undefined ? { ...meta.binding, source: "chat" } : undefined;
  }

  #target(config: Config): CallContext | undefined {
    const binding = this.#binding(config);
    const stream = this.#store.readMeta().stream;
    if (binding === undefined || stream === undefined) return undefined;
    const chatId = this.#store.readPublish().migrated_chat_id ?? binding.chat_id;
    return {
      stream,
      chat_id: chatId,
      ...(binding.message_thread_id !== undefined ? { message_thread_id: binding.message_thread_id } : {}),
    };
  }

  #learnStream(stream: string): void {
    const meta = this.#store.readMeta();
    if (meta.stream === stream) return;
    meta.stream = stream;
    this.#store.writeMeta(meta);
  }

  #updatePublish(change: (record: PublishRecord) => void): PublishRecord {
    const record = this.#store.readPublish();
    change(record);
    this.#store.writePublish(record);
    return record;
  }

  /** Moves the alarm to when the next publish is due, or clears it. Returns that time. */
  async #schedule(): Promise<number | null> {
    let config: Config;
    try {
      config = getConfig(this.env);
    } catch {
      return null;
    }
    const at = nextPublishAt(this.#store.readPublish(), config, Date.now());
    const current = await this.ctx.storage.getAlarm();
    if (at === null) {
      if (current !== null) await this.ctx.storage.deleteAlarm();
      return null;
    }
    if (current !== at) await this.ctx.storage.setAlarm(at);
    return at;
  }
}
