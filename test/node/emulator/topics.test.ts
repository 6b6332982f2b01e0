import { describe, expect, test } from "vitest";
import { SANDBOX_TOPICS } from "../../../emulator/sandbox.ts";
import { CHAT, start } from "./helpers.ts";

const POLISH = SANDBOX_TOPICS["forum-polish"];

describe("forum topics", () => {
  test("topic message is marked", async () => {
    const { call } = await start();
    const { result } = await call("sendMessage", { chat_id: CHAT, message_thread_id: POLISH, text: "hi" });
    expect(result.message_thread_id).toBe(POLISH);
    expect(result.is_topic_message).toBe(true);
    expect(result.reply_to_message.forum_topic_created.name).toBe("forum-polish");
  });

  test("General without thread id", async () => {
    const { call } = await start();
    const { result } = await call("sendMessage", { chat_id: CHAT, text: "general" });
    expect(result).not.toHaveProperty("message_thread_id");
    expect(result).not.toHaveProperty("is_topic_message");
  });

  test("General as thread 1 fails", async () => {
    const { call } = await start();
    const answer = await call("sendMessage", { chat_id: CHAT, message_thread_id: 1, text: "x" });
    expect(answer).toMatchObject({ status: 400, error_code: 400, description: "Bad Request: message thread not found" });
  });

  test("unknown thread fails", async () => {
    const { call } = await start();
    const answer = await call("sendMessage", { chat_id: CHAT, message_thread_id: 999, text: "x" });
    expect(answer.description).toBe("Bad Request: message thread not found");
  });

  test("deleted topic fails", async () => {
    const { call, control } = await start();
    await control("topics", { chat_id: CHAT, message_thread_id: POLISH, action: "delete" });
    const answer = await call("sendMessage", { chat_id: CHAT, message_thread_id: POLISH, text: "x" });
    expect(answer.description).toBe("Bad Request: message thread not found");
  });

  test("deleting topic deletes its messages", async () => {
    const { call, control, state } = await start();
    const sent = await call("sendMessage", { chat_id: CHAT, message_thread_id: POLISH, text: "x" });
    await call("pinChatMessage", { chat_id: CHAT, message_id: sent.result.message_id });
    await control("topics", { chat_id: CHAT, message_thread_id: POLISH, action: "delete" });

    const chat = (await state()).chats[0];
    expect(chat.messages.find((m: { message_id: number }) => m.message_id === sent.result.message_id).deleted).toBe(true);
    expect(chat.pinned_message_ids).toEqual([]);
    expect(chat.topics.find((t: { message_thread_id: number }) => t.message_thread_id === POLISH).deleted).toBe(true);
  });

  test("closed topic rejects bot without can_manage_topics", async () => {
    const { call, control } = await start();
    const chat = await control("chats", {
      title: "closed", type: "supergroup", is_forum: true, topics: ["ops"], bot_rights: { can_pin_messages: true },
    });
    const threadId = chat.topics.find((topic: { name: string }) => topic.name === "ops").message_thread_id;
    await control("topics", { chat_id: chat.id, message_thread_id: threadId, action: "close" });

    const answer = await call("sendMessage", { chat_id: chat.id, message_thread_id: threadId, text: "x" });
    expect(answer).toMatchObject({ status: 400, error_code: 400, description: "Bad Request: TOPIC_CLOSED" });
  });

  test("closed topic admits can_manage_topics", async () => {
    const { call, control } = await start();
    await control("topics", { chat_id: CHAT, message_thread_id: POLISH, action: "close" });
    expect((await call("sendMessage", { chat_id: CHAT, message_thread_id: POLISH, text: "x" })).ok).toBe(true);
  });

  test("reopened topic accepts sends", async () => {
    const { call, control } = await start();
    const chat = await control("chats", { title: "c", type: "supergroup", is_forum: true, topics: ["ops"], bot_rights: {} });
    const threadId = chat.topics[1].message_thread_id;
    await control("topics", { chat_id: chat.id, message_thread_id: threadId, action: "close" });
    await control("topics", { chat_id: chat.id, message_thread_id: threadId, action: "reopen" });
    expect((await call("sendMessage", { chat_id: chat.id, message_thread_id: threadId, text: "x" })).ok).toBe(true);
  });

  test("created topic id is its message id", async () => {
    const { call, control } = await start();
    await call("sendMessage", { chat_id: CHAT, text: "4" });
    const topic = await control("topics", { chat_id: CHAT, name: "new", action: "create" });
    expect(topic.message_thread_id).toBe(5);
    expect((await call("sendMessage", { chat_id: CHAT, message_thread_id: 5, text: "x" })).result.is_topic_message).toBe(true);
  });

  test("reply in General carries root", async () => {
    const { call, control } = await start();
    const root = await call("sendMessage", { chat_id: CHAT, text: "root" });
    const reply = await control("send", {
      chat_id: CHAT, from: { id: 200, username: "bob" }, text: "reply", reply_to_message_id: root.result.message_id,
    });
    expect(reply.message.message_thread_id).toBe(root.result.message_id);
    expect(reply.message).not.toHaveProperty("is_topic_message");

    const reuse = await call("sendMessage", { chat_id: CHAT, message_thread_id: reply.message.message_thread_id, text: "x" });
    expect(reuse.description).toBe("Bad Request: message thread not found");
  });

  test("reply in topic stays in topic", async () => {
    const { call } = await start();
    const root = await call("sendMessage", { chat_id: CHAT, message_thread_id: POLISH, text: "root" });
    const reply = await call("sendMessage", {
      chat_id: CHAT, text: "reply", reply_parameters: { message_id: root.result.message_id },
    });
    expect(reply.result.message_thread_id).toBe(POLISH);
    expect(reply.result.is_topic_message).toBe(true);
    expect(reply.result.reply_to_message.message_id).toBe(root.result.message_id);
  });

  test("reply to missing message", async () => {
    const { call } = await start();
    const answer = await call("sendMessage", { chat_id: CHAT, text: "x", reply_to_message_id: 77 });
    expect(answer.description).toBe("Bad Request: message to be replied not found");
  });

  test("thread id in plain supergroup", async () => {
    const { call, control } = await start();
    const chat = await control("chats", { title: "plain", type: "supergroup", is_forum: false });
    const answer = await call("sendMessage", { chat_id: chat.id, message_thread_id: 1, text: "x" });
    expect(answer.description).toBe("Bad Request: message thread not found");
  });
});
