import { describe, expect, test } from "vitest";
import { SANDBOX_TOPICS } from "../../../emulator/sandbox.ts";
import { CHAT, start } from "./helpers.ts";

const POLISH = SANDBOX_TOPICS["forum-polish"];
const MOBILE = SANDBOX_TOPICS["mobile-app"];

type TopicState = { message_thread_id: number; pinned_message_ids: number[] };

function topicPins(state: { chats: Array<{ topics: TopicState[] }> }, threadId: number): number[] {
  return state.chats[0]?.topics.find((topic) => topic.message_thread_id === threadId)?.pinned_message_ids ?? [];
}

describe("pins", () => {
  test("pin posts service message", async () => {
    const { call, state } = await start();
    const card = await call("sendMessage", { chat_id: CHAT, message_thread_id: POLISH, text: "card" });
    const pinned = await call("pinChatMessage", { chat_id: CHAT, message_id: card.result.message_id, disable_notification: true });
    expect(pinned).toEqual({ status: 200, ok: true, result: true });

    const messages = (await state()).chats[0].messages;
    const service = messages.at(-1);
    expect(service.message_id).toBe(card.result.message_id + 1);
    expect(service.pinned_message_id).toBe(card.result.message_id);
    expect(service.message_thread_id).toBe(POLISH);
    expect(service.text).toBe("tgk sandbox pinned a message");
    expect(service.from.is_bot).toBe(true);
  });

  test("per-topic and chat-wide lists", async () => {
    const { call, state } = await start();
    const first = await call("sendMessage", { chat_id: CHAT, message_thread_id: POLISH, text: "a" });
    const second = await call("sendMessage", { chat_id: CHAT, message_thread_id: MOBILE, text: "b" });
    await call("pinChatMessage", { chat_id: CHAT, message_id: first.result.message_id });
    await call("pinChatMessage", { chat_id: CHAT, message_id: second.result.message_id });

    const snapshot = await state();
    expect(topicPins(snapshot, POLISH)).toEqual([first.result.message_id]);
    expect(topicPins(snapshot, MOBILE)).toEqual([second.result.message_id]);
    expect(snapshot.chats[0].pinned_message_ids).toEqual([first.result.message_id, second.result.message_id]);

    const chat = await call("getChat", { chat_id: CHAT });
    expect(chat.result.pinned_message.message_id).toBe(second.result.message_id);
  });

  test("General pins in thread 1 list", async () => {
    const { call, state } = await start();
    const general = await call("sendMessage", { chat_id: CHAT, text: "g" });
    await call("pinChatMessage", { chat_id: CHAT, message_id: general.result.message_id });
    expect(topicPins(await state(), 1)).toEqual([general.result.message_id]);
  });

  test("nested service message is flat", async () => {
    const { call, control } = await start();
    const card = await call("sendMessage", { chat_id: CHAT, message_thread_id: POLISH, text: "card" });
    await call("pinChatMessage", { chat_id: CHAT, message_id: card.result.message_id });
    const reply = await control("send", {
      chat_id: CHAT, from: { id: 200, username: "bob" }, text: "seen", reply_to_message_id: card.result.message_id + 1,
    });
    const service = reply.message.reply_to_message;
    expect(service.pinned_message).toBeUndefined();
    expect(service).not.toHaveProperty("text");
  });

  test("repin on top adds nothing", async () => {
    const { call, state } = await start();
    const card = await call("sendMessage", { chat_id: CHAT, message_thread_id: POLISH, text: "card" });
    await call("pinChatMessage", { chat_id: CHAT, message_id: card.result.message_id });
    const count = (await state()).chats[0].messages.length;
    expect((await call("pinChatMessage", { chat_id: CHAT, message_id: card.result.message_id })).ok).toBe(true);
    expect((await state()).chats[0].messages.length).toBe(count);
  });

  test("bot deletes service message", async () => {
    const { call, state } = await start();
    const card = await call("sendMessage", { chat_id: CHAT, message_thread_id: POLISH, text: "card" });
    await call("pinChatMessage", { chat_id: CHAT, message_id: card.result.message_id });
    const deleted = await call("deleteMessage", { chat_id: CHAT, message_id: card.result.message_id + 1 });
    expect(deleted.result).toBe(true);
    expect(topicPins(await state(), POLISH)).toEqual([card.result.message_id]);
  });

  test("unpin one message", async () => {
    const { call, state } = await start();
    const card = await call("sendMessage", { chat_id: CHAT, message_thread_id: POLISH, text: "card" });
    await call("pinChatMessage", { chat_id: CHAT, message_id: card.result.message_id });
    expect((await call("unpinChatMessage", { chat_id: CHAT, message_id: card.result.message_id })).result).toBe(true);
    expect(topicPins(await state(), POLISH)).toEqual([]);
  });

  test("unpin without id drops newest", async () => {
    const { call, state } = await start();
    const a = await call("sendMessage", { chat_id: CHAT, message_thread_id: POLISH, text: "a" });
    const b = await call("sendMessage", { chat_id: CHAT, message_thread_id: POLISH, text: "b" });
    await call("pinChatMessage", { chat_id: CHAT, message_id: a.result.message_id });
    await call("pinChatMessage", { chat_id: CHAT, message_id: b.result.message_id });
    await call("unpinChatMessage", { chat_id: CHAT });
    expect(topicPins(await state(), POLISH)).toEqual([a.result.message_id]);
  });

  test("unpin all in one topic", async () => {
    const { call, state } = await start();
    const a = await call("sendMessage", { chat_id: CHAT, message_thread_id: POLISH, text: "a" });
    const b = await call("sendMessage", { chat_id: CHAT, message_thread_id: MOBILE, text: "b" });
    await call("pinChatMessage", { chat_id: CHAT, message_id: a.result.message_id });
    await call("pinChatMessage", { chat_id: CHAT, message_id: b.result.message_id });
    expect((await call("unpinAllForumTopicMessages", { chat_id: CHAT, message_thread_id: POLISH })).result).toBe(true);

    const snapshot = await state();
    expect(topicPins(snapshot, POLISH)).toEqual([]);
    expect(topicPins(snapshot, MOBILE)).toEqual([b.result.message_id]);
    expect(snapshot.chats[0].pinned_message_ids).toEqual([b.result.message_id]);
  });

  test("unpin all rejects General", async () => {
    const { call } = await start();
    const answer = await call("unpinAllForumTopicMessages", { chat_id: CHAT, message_thread_id: 1 });
    expect(answer.description).toBe("Bad Request: message thread not found");
  });

  test("pin missing message", async () => {
    const { call } = await start();
    expect(await call("pinChatMessage", { chat_id: CHAT, message_id: 404 })).toMatchObject({
      status: 400, description: "Bad Request: message to pin not found",
    });
  });

  test("unpin missing message", async () => {
    const { call } = await start();
    expect((await call("unpinChatMessage", { chat_id: CHAT, message_id: 404 })).description).toBe(
      "Bad Request: message to unpin not found",
    );
  });

  test("pin without rights", async () => {
    const { call, control } = await start();
    const chat = await control("chats", { title: "no pins", type: "supergroup", is_forum: false, bot_rights: {} });
    const sent = await call("sendMessage", { chat_id: chat.id, text: "x" });
    for (const method of ["pinChatMessage", "unpinChatMessage"]) {
      const answer = await call(method, { chat_id: chat.id, message_id: sent.result.message_id });
      expect(answer).toMatchObject({
        status: 400, description: "Bad Request: not enough rights to manage pinned messages in the chat",
      });
    }
  });

  test("hand unpin and delete", async () => {
    const { call, control, state } = await start();
    const a = await call("sendMessage", { chat_id: CHAT, message_thread_id: POLISH, text: "a" });
    const b = await call("sendMessage", { chat_id: CHAT, message_thread_id: POLISH, text: "b" });
    await call("pinChatMessage", { chat_id: CHAT, message_id: a.result.message_id });
    await call("pinChatMessage", { chat_id: CHAT, message_id: b.result.message_id });

    await control("messages/unpin", { chat_id: CHAT, message_id: a.result.message_id });
    await control("messages/delete", { chat_id: CHAT, message_id: b.result.message_id });
    expect(topicPins(await state(), POLISH)).toEqual([]);
    expect((await call("pinChatMessage", { chat_id: CHAT, message_id: b.result.message_id })).description).toBe(
      "Bad Request: message to pin not found",
    );
  });
});
