/** Shared helpers for tests that run inside workerd: signed deliveries and the emulator's state. */
import { exports } from "cloudflare:workers";
import { inject } from "vitest";

export const GITHUB_SECRET = "test-github-secret";
export const emulatorUrl = inject("emulatorUrl");
export const testStreams = inject("testStreams");

export async function sign(body: string, secret = GITHUB_SECRET): Promise<string> {
  const key = await crypto.subtle.importKey("raw", new TextEncoder().encode(secret), { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
  const mac = await crypto.subtle.sign("HMAC", key, new TextEncoder().encode(body));
  return `sha256=${[...new Uint8Array(mac)].map((b) => b.toString(16).padStart(2, "0")).join("")}`;
}

export interface PostOptions {
  stream?: string;
  deliveryId?: string;
  headers?: Record<string, string>;
  contentType?: string;
  /** Raw body to send instead of JSON.stringify(payload). */
  body?: string;
}

/** Posts a signed delivery to the Worker the way GitHub does. */
export async function postDelivery(event: string, payload: unknown, options: PostOptions = {}): Promise<Response> {
  const body = options.body ?? JSON.stringify(payload);
  const path = options.stream !== undefined ? `/github/${options.stream}` : "/github";
  return exports.default.fetch(`https://hub.test${path}`, {
    method: "POST",
    headers: {
      "content-type": options.contentType ?? "application/json",
      "user-agent": "GitHub-Hookshot/044aadd",
      "x-github-event": event,
      "x-github-delivery": options.deliveryId ?? crypto.randomUUID(),
      "x-github-hook-id": "1",
      "x-hub-signature-256": await sign(body),
      ...options.headers,
    },
    body,
  });
}

export interface EmulatorMessage {
  message_id: number;
  message_thread_id?: number;
  from: { id: number; is_bot: boolean; username?: string };
  text: string;
  entities?: Array<{ type: string; offset: number; length: number; url?: string }>;
  pinned_message_id?: number;
  reply_markup?: { inline_keyboard?: Array<Array<{ callback_data?: string }>> };
  is_topic_message?: boolean;
  deleted: boolean;
}

export interface EmulatorTopic {
  message_thread_id: number;
  name: string;
  is_closed: boolean;
  pinned_message_ids: number[];
}

export interface EmulatorChat {
  id: number;
  title: string;
  topics: EmulatorTopic[];
  pinned_message_ids: number[];
  messages: EmulatorMessage[];
}

export interface EmulatorCall {
  method: string;
  ok: boolean;
  error_code?: number;
  at: string;
  chat_id?: number;
}

export interface EmulatorState {
  chats: EmulatorChat[];
  calls: EmulatorCall[];
}

export async function emulatorState(): Promise<EmulatorState> {
  const response = await fetch(`${emulatorUrl}/__emulator/state`);
  return (await response.json()) as EmulatorState;
}

export async function emulatorPost(path: string, body: unknown): Promise<unknown> {
  const response = await fetch(`${emulatorUrl}/__emulator/${path}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`emulator ${path} failed: ${response.status} ${await response.text()}`);
  return response.json();
}

export interface TopicView {
  chat: EmulatorChat;
  /** Cards pinned in the topic. */
  pinnedCards: EmulatorMessage[];
  /** Live status cards in the topic: bot messages with the card's Refresh button. */
  botMessages: EmulatorMessage[];
  calls: EmulatorCall[];
}

/** Reads the stream's topic as a forum member would find it. */
export async function viewTopic(stream: string): Promise<TopicView> {
  const binding = testStreams[stream];
  if (binding === undefined) throw new Error(`no test stream ${stream}`);
  const state = await emulatorState();
  const chat = state.chats.find((c) => c.id === binding.chat_id);
  if (chat === undefined) throw new Error(`emulator has no chat ${binding.chat_id}`);
  const topic = chat.topics.find((t) => t.message_thread_id === binding.message_thread_id);
  const pinnedIds = new Set(topic?.pinned_message_ids ?? chat.pinned_message_ids);
  const isCard = (m: EmulatorMessage) => m.reply_markup?.inline_keyboard?.some((row) => row.some((b) => b.callback_data === "refresh")) === true;
  const cards = chat.messages.filter((m) => !m.deleted && m.message_thread_id === binding.message_thread_id && m.from.is_bot && isCard(m));
  return {
    chat,
    pinnedCards: cards.filter((m) => pinnedIds.has(m.message_id)),
    botMessages: cards,
    calls: state.calls.filter((c) => c.chat_id === binding.chat_id),
  };
}

/** Polls `check` until it returns a value, or throws after `timeoutMs` with the last error. */
export async function eventually<T>(check: () => Promise<T | undefined>, timeoutMs = 8_000, what = "condition"): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value !== undefined) return value;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${lastError ? `: ${String(lastError)}` : ""}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/**
 * Waits until the stream's topic has settled on exactly one pinned card whose text passes `matches`
 * and no other card (the replaced card is deleted after the new one is pinned).
 */
export async function waitForCard(stream: string, matches: (text: string) => boolean, timeoutMs = 8_000): Promise<TopicView> {
  return eventually(
    async () => {
      const view = await viewTopic(stream);
      const [card] = view.pinnedCards;
      const settled = view.pinnedCards.length === 1 && view.botMessages.length === 1;
      return settled && card !== undefined && matches(card.text) ? view : undefined;
    },
    timeoutMs,
    `one pinned card in ${stream}`,
  );
}
