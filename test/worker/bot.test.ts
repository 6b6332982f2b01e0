/**
 * The bot as forum members use it: real Telegram updates (made by the emulator from a user's
 * message) posted to /telegram, and the replies checked in the emulator's forum.
 */
import { exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { emulatorPost, emulatorState, eventually, postDelivery, testStreams, waitForCard } from "./helpers.ts";
import { pullRequestPayload } from "./payloads.ts";

const TELEGRAM_SECRET = "test-telegram-secret";
const ALICE = { id: 100, username: "alice", first_name: "Alice" };
const BOB = { id: 200, username: "bob", first_name: "Bob" };

let updateId = 500_000;

async function postUpdate(update: Record<string, unknown>, secret: string | null = TELEGRAM_SECRET): Promise<Response> {
  return exports.default.fetch("https://hub.test/telegram", {
    method: "POST",
    headers: { "content-type": "application/json", ...(secret !== null ? { "x-telegram-bot-api-secret-token": secret } : {}) },
    body: JSON.stringify(update),
  });
}

interface Sent {
  message: { message_id: number; chat: { id: number } };
}

/** Writes `text` in the chat as a user and posts the update Telegram would deliver to the Worker. */
async function say(chatId: number, text: string, options: { thread?: number; from?: object; senderChat?: number; replyTo?: number } = {}): Promise<Sent> {
  const sent = (await emulatorPost("send", {
    chat_id: chatId,
    text,
    from: options.from ?? ALICE,
    ...(options.thread !== undefined ? { message_thread_id: options.thread } : {}),
    ...(options.senderChat !== undefined ? { sender_chat_id: options.senderChat } : {}),
    ...(options.replyTo !== undefined ? { reply_to_message_id: options.replyTo } : {}),
  })) as Sent;
  const response = await postUpdate({ update_id: ++updateId, message: sent.message });
  expect(response.status).toBe(200);
  return sent;
}

/** Bot replies to one message, as the forum shows them. */
async function repliesTo(chatId: number, messageId: number) {
  const state = await emulatorState();
  const chat = state.chats.find((c) => c.id === chatId)!;
  return chat.messages.filter((m) => m.from.is_bot && !m.deleted && (m as { reply_to_message_id?: number }).reply_to_message_id === messageId);
}

async function publishedStream(stream: string, title: string): Promise<void> {
  const payload = pullRequestPayload({ number: 5, title, headRef: "bot", headSha: "b".repeat(40), updatedAt: new Date().toISOString() });
  expect((await postDelivery("pull_request", payload, { stream })).status).toBe(200);
  await waitForCard(stream, (text) => text.includes(title));
}

describe("Telegram webhook", () => {
  it("rejects a wrong secret with 401", async () => {
    const response = await postUpdate({ update_id: 1 }, "wrong-secret");
    expect(response.status).toBe(401);
  });

  it("rejects a missing secret with 401", async () => {
    const response = await postUpdate({ update_id: 1 }, null);
    expect(response.status).toBe(401);
  });

  it("rejects an update that is not JSON", async () => {
    const response = await exports.default.fetch("https://hub.test/telegram", {
      method: "POST",
      headers: { "x-telegram-bot-api-secret-token": TELEGRAM_SECRET },
      body: "{not json",
    });
    expect(response.status).toBe(400);
  });
});

describe("/status", () => {
  it("answers in the topic with the stream's state", async () => {
    const stream = "bot-status";
    const { chat_id, message_thread_id } = testStreams[stream]!;
    await publishedStream(stream, "Status check");

    const sent = await say(chat_id, "/status", { thread: message_thread_id });
    const [reply] = await repliesTo(chat_id, sent.message.message_id);
    expect(reply?.message_thread_id).toBe(message_thread_id);
    expect(reply?.text).toContain(`Stream ${stream}`);
    expect(reply?.text).toContain("Last delivery: pull_request opened");
    expect(reply?.text).toContain("Pending: 0 deliveries");
    expect(reply?.text).toContain("Debounce: 150 ms, max wait 1500 ms");
    expect(reply?.entities?.some((e) => e.type === "text_link" && e.url?.includes(`/${message_thread_id}/`))).toBe(true);
  });

  it("works with @thisbot and ignores @otherbot", async () => {
    const { chat_id, message_thread_id } = testStreams["bot-status"]!;
    const mine = await say(chat_id, "/status@tgk_sandbox_bot", { thread: message_thread_id });
    const other = await say(chat_id, "/status@someone_else_bot", { thread: message_thread_id });
    expect(await repliesTo(chat_id, mine.message.message_id)).toHaveLength(1);
    expect(await repliesTo(chat_id, other.message.message_id)).toHaveLength(0);
  });

  it("answers in General without a thread", async () => {
    const { chat_id } = testStreams["bot-general"]!;
    const sent = await say(chat_id, "/status");
    const [reply] = await repliesTo(chat_id, sent.message.message_id);
    expect(reply?.is_topic_message ?? false).toBe(false);
    expect(reply?.text).toContain("bound to no stream");
  });

  it("answers a reply in General in General", async () => {
    const { chat_id } = testStreams["bot-general"]!;
    const root = await say(chat_id, "hello everyone");
    const sent = await say(chat_id, "/help", { replyTo: root.message.message_id });
    const [reply] = await repliesTo(chat_id, sent.message.message_id);
    // The reply joins the reply chain in General, which has a thread id but is no topic.
    expect(reply?.is_topic_message ?? false).toBe(false);
    expect(reply?.text).toContain("/repin");
  });

  it("ignores a chat that is not configured", async () => {
    const stranger = (await emulatorPost("chats", { title: "stranger", type: "supergroup", is_forum: true, topics: ["x"] })) as { id: number };
    const sent = await say(stranger.id, "/status");
    expect(await repliesTo(stranger.id, sent.message.message_id)).toHaveLength(0);
  });
});

describe("/repin", () => {
  it("repins for an admin and leaves one card", async () => {
    const stream = "bot-repin";
    const { chat_id, message_thread_id } = testStreams[stream]!;
    await publishedStream(stream, "Repin me");
    const before = await waitForCard(stream, () => true);

    const sent = await say(chat_id, "/repin", { thread: message_thread_id });
    const [reply] = await repliesTo(chat_id, sent.message.message_id);
    expect(reply?.text).toContain("Repinning");
    const after = await eventually(async () => {
      const view = await waitForCard(stream, (text) => text.includes("Repin me"));
      return view.pinnedCards[0]!.message_id !== before.pinnedCards[0]!.message_id ? view : undefined;
    });
    expect(after.pinnedCards).toHaveLength(1);
    expect(after.botMessages).toHaveLength(1);
  });

  it("refuses a plain member", async () => {
    const { chat_id, message_thread_id } = testStreams["bot-repin"]!;
    const sent = await say(chat_id, "/repin", { thread: message_thread_id, from: BOB });
    const [reply] = await repliesTo(chat_id, sent.message.message_id);
    expect(reply?.text).toContain("Only chat admins");
  });

  it("accepts an anonymous admin", async () => {
    const { chat_id, message_thread_id } = testStreams["bot-repin"]!;
    const sent = await say(chat_id, "/repin", { thread: message_thread_id, senderChat: chat_id });
    const [reply] = await repliesTo(chat_id, sent.message.message_id);
    expect(reply?.text).toMatch(/Repinning|just repinned/);
  });

  it("answers a second repin with a wait", async () => {
    const { chat_id, message_thread_id } = testStreams["bot-repin"]!;
    await say(chat_id, "/repin", { thread: message_thread_id });
    const sent = await say(chat_id, "/repin", { thread: message_thread_id });
    const [reply] = await repliesTo(chat_id, sent.message.message_id);
    expect(reply?.text).toContain("try again in");
  });
});

describe("Refresh button", () => {
  it("repins the card and answers the press", async () => {
    const stream = "bot-refresh";
    const { chat_id } = testStreams[stream]!;
    await publishedStream(stream, "Refresh me");
    const before = await waitForCard(stream, () => true);
    const card = before.pinnedCards[0]!;

    const pressed = (await emulatorPost("press", { chat_id, message_id: card.message_id, from: ALICE, data: "refresh" })) as {
      callback_query: Record<string, unknown>;
    };
    const response = await postUpdate({ update_id: ++updateId, callback_query: pressed.callback_query });
    expect(response.status).toBe(200);

    const state = (await emulatorState()) as unknown as { callback_queries: Array<{ id: string; answered: boolean; text?: string }> };
    const answer = state.callback_queries.find((q) => q.id === pressed.callback_query.id);
    expect(answer?.answered).toBe(true);
    expect(answer?.text).toContain("Repinning");
    const after = await eventually(async () => {
      const view = await waitForCard(stream, (text) => text.includes("Refresh me"));
      return view.pinnedCards[0]!.message_id !== card.message_id ? view : undefined;
    });
    expect(after.botMessages).toHaveLength(1);
  });
});

describe("/bind", () => {
  it("binds a topic for an admin and shows the stream's card there", async () => {
    const chat = (await emulatorPost("chats", { title: "bind", type: "supergroup", is_forum: true, topics: ["docs"] })) as {
      id: number;
      topics: Array<{ message_thread_id: number; name: string }>;
    };
    const thread = chat.topics.find((t) => t.name === "docs")!.message_thread_id;
    // The chat is not in config, so the bot ignores it: /bind works only in configured chats.
    const ignored = await say(chat.id, "/bind docs-stream", { thread });
    expect(await repliesTo(chat.id, ignored.message.message_id)).toHaveLength(0);

    const { chat_id } = testStreams["bot-general"]!;
    const created = (await emulatorPost("topics", { chat_id, name: "bound topic", action: "create" })) as { message_thread_id: number };
    const refused = await say(chat_id, "/bind docs-stream", { thread: created.message_thread_id, from: BOB });
    expect((await repliesTo(chat_id, refused.message.message_id))[0]?.text).toContain("Only chat admins");

    const sent = await say(chat_id, "/bind docs-stream", { thread: created.message_thread_id });
    expect((await repliesTo(chat_id, sent.message.message_id))[0]?.text).toContain("now shows docs-stream");

    const status = await say(chat_id, "/status", { thread: created.message_thread_id });
    expect((await repliesTo(chat_id, status.message.message_id))[0]?.text).toContain("Stream docs-stream (bound with /bind)");

    const unbind = await say(chat_id, "/unbind", { thread: created.message_thread_id });
    expect((await repliesTo(chat_id, unbind.message.message_id))[0]?.text).toContain("no longer shows docs-stream");
  });
});
