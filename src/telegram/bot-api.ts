/**
 * The Bot API client the topic agent publishes with: grammY's Api, with failures returned as data.
 */
import { Api, GrammyError, HttpError } from "grammy";
import type { InlineKeyboardMarkup, Message } from "@grammyjs/types";
import { log, redact } from "../log.ts";
import { type BotApiFailure, classifyFailure } from "./failures.ts";

export type { BotApiFailure } from "./failures.ts";

/** A Bot API call that takes longer than this counts as a network failure and is retried later. */
export const BOT_API_TIMEOUT_SECONDS = 10;

export type BotApiResult<T> = { ok: true; result: T } | { ok: false; failure: BotApiFailure };

/** Ids that go into every log line of a call. */
export interface CallContext {
  stream: string;
  chat_id: number;
  message_thread_id?: number;
}

export class BotApi {
  readonly #api: Api;
  readonly #token: string;

  constructor(token: string, apiRoot: string) {
    this.#token = token;
    this.#api = new Api(token, { apiRoot, timeoutSeconds: BOT_API_TIMEOUT_SECONDS });
  }

  sendMessage(
    context: CallContext,
    html: string,
    reply_markup?: InlineKeyboardMarkup,
  ): Promise<BotApiResult<Message.TextMessage>> {
    return this.#call(context, "sendMessage", () =>
      this.#api.sendMessage(context.chat_id, html, {
        parse_mode: "HTML",
        disable_notification: true,
        link_preview_options: { is_disabled: true },
        ...(context.message_thread_id !== undefined ? { message_thread_id: context.message_thread_id } : {}),
        ...(reply_markup !== undefined ? { reply_markup } : {}),
      }),
    );
  }

  pinChatMessage(context: CallContext, message_id: number): Promise<BotApiResult<true>> {
    return this.#call(context, "pinChatMessage", () =>
      this.#api.pinChatMessage(context.chat_id, message_id, { disable_notification: true }),
    );
  }

  unpinChatMessage(context: CallContext, message_id: number): Promise<BotApiResult<true>> {
    return this.#call(context, "unpinChatMessage", () => this.#api.unpinChatMessage(context.chat_id, message_id));
  }

  deleteMessage(context: CallContext, message_id: number): Promise<BotApiResult<true>> {
    return this.#call(context, "deleteMessage", () => this.#api.deleteMessage(context.chat_id, message_id));
  }

  /** Runs one call, logs it, and turns grammY's errors into a BotApiFailure. */
  async #call<T>(context: CallContext, method: string, run: () => Promise<T>): Promise<BotApiResult<T>> {
    const started = Date.now();
    let outcome: BotApiResult<T>;
    try {
      outcome = { ok: true, result: await run() };
    } catch (error) {
      outcome = { ok: false, failure: this.#toFailure(method, error) };
    }

    log({
      msg: "bot api call",
      level: outcome.ok ? "info" : "warn",
      method,
      stream: context.stream,
      chat_id: context.chat_id,
      ...(context.message_thread_id !== undefined ? { message_thread_id: context.message_thread_id } : {}),
      outcome: outcome.ok ? "ok" : outcome.failure.kind,
      ...(outcome.ok ? {} : { error_code: outcome.failure.error_code, description: outcome.failure.description }),
      duration_ms: Date.now() - started,
    });
    return outcome;
  }

  #toFailure(method: string, error: unknown): BotApiFailure {
    if (error instanceof GrammyError) {
      return classifyFailure(method, error.error_code, error.description, error.parameters);
    }
    // HttpError covers network errors, timeouts and non-JSON responses such as a proxy's 502 page.
    const message = error instanceof HttpError || error instanceof Error ? error.message : String(error);
    return classifyFailure(method, 0, redact(message, [this.#token]));
  }
}
