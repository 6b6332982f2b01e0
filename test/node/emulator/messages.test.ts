import { describe, expect, test } from "vitest";
import { SANDBOX_BOT, SANDBOX_TOPICS } from "../../../emulator/sandbox.ts";
import { CHAT, start } from "./helpers.ts";

const POLISH = SANDBOX_TOPICS["forum-polish"];
const KEYBOARD = { inline_keyboard: [[{ text: "Refresh", callback_data: "refresh" }]] };
const NOT_MODIFIED =
  "Bad Request: message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message";

describe("sendMessage", () => {
  test("ids are sequential per chat", async () => {
    const { call, control } = await start();
    const first = await call("sendMessage", { chat_id: CHAT, text: "a" });
    const second = await call("sendMessage", { chat_id: CHAT, text: "b" });
    expect(first.result.message_id).toBe(4);
    expect(second.result.message_id).toBe(5);

    const other = await control("chats", { title: "other", type: "supergroup", is_forum: false });
    expect((await call("sendMessage", { chat_id: other.id, text: "c" })).result.message_id).toBe(2);
  });

  test("message carries sender and chat", async () => {
    const { call } = await start();
    const { result } = await call("sendMessage", { chat_id: CHAT, text: "x" });
    expect(result.from).toEqual({ id: SANDBOX_BOT.id, is_bot: true, first_name: "tgk sandbox", username: "tgk_sandbox_bot" });
    expect(result.chat).toEqual({ id: CHAT, title: "tgk sandbox", type: "supergroup", is_forum: true });
    expect(typeof result.date).toBe("number");
  });

  test("member without send right", async () => {
    const { call, control } = await start();
    await control("members", { chat_id: CHAT, user_id: SANDBOX_BOT.id, status: "member", rights: { can_send_messages: false } });
    expect((await call("sendMessage", { chat_id: CHAT, text: "x" })).description).toBe(
      "Bad Request: not enough rights to send text messages to the chat",
    );
  });

  test("keyboard without callback is rejected", async () => {
    const { call } = await start();
    const answer = await call("sendMessage", { chat_id: CHAT, text: "x", reply_markup: { inline_keyboard: [[{ text: "a" }]] } });
    expect(answer.description).toBe("Bad Request: text buttons are unallowed in the inline keyboard");
  });
});

describe("editMessageText", () => {
  test("edits text and keeps keyboard given", async () => {
    const { call, state } = await start();
    const sent = await call("sendMessage", { chat_id: CHAT, message_thread_id: POLISH, text: "v1", reply_markup: KEYBOARD });
    const edited = await call("editMessageText", {
      chat_id: CHAT, message_id: sent.result.message_id, text: "<b>v2</b>", parse_mode: "HTML", reply_markup: KEYBOARD,
    });
    expect(edited.result.text).toBe("v2");
    expect(edited.result.reply_markup).toEqual(KEYBOARD);
    expect(edited.result.message_thread_id).toBe(POLISH);
    expect(typeof edited.result.edit_date).toBe("number");
    expect((await state()).chats[0].messages.at(-1).text).toBe("v2");
  });

  test("leaving out markup removes keyboard", async () => {
    const { call } = await start();
    const sent = await call("sendMessage", { chat_id: CHAT, text: "v1", reply_markup: KEYBOARD });
    const edited = await call("editMessageText", { chat_id: CHAT, message_id: sent.result.message_id, text: "v1" });
    expect(edited.ok).toBe(true);
    expect(edited.result).not.toHaveProperty("reply_markup");
  });

  test("same text and markup not modified", async () => {
    const { call } = await start();
    const sent = await call("sendMessage", { chat_id: CHAT, text: "<b>same</b>", parse_mode: "HTML", reply_markup: KEYBOARD });
    const answer = await call("editMessageText", {
      chat_id: CHAT, message_id: sent.result.message_id, text: "<b>same</b>", parse_mode: "HTML", reply_markup: KEYBOARD,
    });
    expect(answer).toEqual({ status: 400, ok: false, error_code: 400, description: NOT_MODIFIED });
  });

  test("changed entities count as modified", async () => {
    const { call } = await start();
    const sent = await call("sendMessage", { chat_id: CHAT, text: "same" });
    const answer = await call("editMessageText", {
      chat_id: CHAT, message_id: sent.result.message_id, text: "<b>same</b>", parse_mode: "HTML",
    });
    expect(answer.ok).toBe(true);
  });

  test("missing message", async () => {
    const { call } = await start();
    expect((await call("editMessageText", { chat_id: CHAT, message_id: 999, text: "x" })).description).toBe(
      "Bad Request: message to edit not found",
    );
  });

  test("missing message_id", async () => {
    const { call } = await start();
    expect((await call("editMessageText", { chat_id: CHAT, text: "x" })).description).toBe(
      "Bad Request: message identifier is not specified",
    );
  });

  test("someone else's message", async () => {
    const { call, control } = await start();
    const sent = await control("send", { chat_id: CHAT, from: { id: 200, username: "bob" }, text: "mine" });
    expect((await call("editMessageText", { chat_id: CHAT, message_id: sent.message.message_id, text: "x" })).description).toBe(
      "Bad Request: message can't be edited",
    );
  });

  test("deleted message", async () => {
    const { call, control } = await start();
    const sent = await call("sendMessage", { chat_id: CHAT, text: "v1" });
    await control("messages/delete", { chat_id: CHAT, message_id: sent.result.message_id });
    expect((await call("editMessageText", { chat_id: CHAT, message_id: sent.result.message_id, text: "v2" })).description).toBe(
      "Bad Request: message to edit not found",
    );
  });
});

describe("deleteMessage", () => {
  test("own message", async () => {
    const { call, state } = await start();
    const sent = await call("sendMessage", { chat_id: CHAT, text: "x" });
    expect((await call("deleteMessage", { chat_id: CHAT, message_id: sent.result.message_id })).result).toBe(true);
    expect((await state()).chats[0].messages.at(-1).deleted).toBe(true);
  });

  test("twice is not found", async () => {
    const { call } = await start();
    const sent = await call("sendMessage", { chat_id: CHAT, text: "x" });
    await call("deleteMessage", { chat_id: CHAT, message_id: sent.result.message_id });
    expect((await call("deleteMessage", { chat_id: CHAT, message_id: sent.result.message_id })).description).toBe(
      "Bad Request: message to delete not found",
    );
  });

  test("others' message needs right", async () => {
    const { call, control } = await start();
    const chat = await control("chats", { title: "c", type: "supergroup", is_forum: false, bot_rights: { can_pin_messages: true } });
    const sent = await control("send", { chat_id: chat.id, from: { id: 200, username: "bob" }, text: "hi" });
    expect((await call("deleteMessage", { chat_id: chat.id, message_id: sent.message.message_id })).description).toBe(
      "Bad Request: message can't be deleted",
    );
  });

  test("others' message with right", async () => {
    const { call, control } = await start();
    const sent = await control("send", { chat_id: CHAT, from: { id: 200, username: "bob" }, text: "hi" });
    expect((await call("deleteMessage", { chat_id: CHAT, message_id: sent.message.message_id })).ok).toBe(true);
  });

  test("topic creation message stays", async () => {
    const { call } = await start();
    expect((await call("deleteMessage", { chat_id: CHAT, message_id: POLISH })).description).toBe(
      "Bad Request: message can't be deleted",
    );
  });
});

describe("chat queries", () => {
  test("getChat full info", async () => {
    const { call } = await start();
    const { result } = await call("getChat", { chat_id: CHAT });
    expect(result).toMatchObject({ id: CHAT, title: "tgk sandbox", type: "supergroup", is_forum: true });
    expect(result).not.toHaveProperty("pinned_message");
  });

  test("getChatMember statuses", async () => {
    const { call } = await start();
    expect((await call("getChatMember", { chat_id: CHAT, user_id: 100 })).result.status).toBe("creator");
    expect((await call("getChatMember", { chat_id: CHAT, user_id: 200 })).result).toEqual({
      user: { id: 200, is_bot: false, first_name: "Bob", username: "bob" }, status: "member",
    });
    const bot = (await call("getChatMember", { chat_id: CHAT, user_id: SANDBOX_BOT.id })).result;
    expect(bot).toMatchObject({ status: "administrator", can_pin_messages: true, can_delete_messages: true, can_manage_topics: true });
  });

  test("getChatMember unknown user", async () => {
    const { call } = await start();
    expect((await call("getChatMember", { chat_id: CHAT, user_id: 555 })).description).toBe("Bad Request: user not found");
  });

  test("getChatAdministrators lists admins", async () => {
    const { call } = await start();
    const ids = (await call("getChatAdministrators", { chat_id: CHAT })).result.map((member: { user: { id: number } }) => member.user.id);
    expect(ids.sort()).toEqual([100, 101, SANDBOX_BOT.id].sort());
  });

  test("demoted bot loses pin right", async () => {
    const { call, control } = await start();
    await control("members", { chat_id: CHAT, user_id: SANDBOX_BOT.id, status: "administrator", rights: { can_delete_messages: true } });
    const sent = await call("sendMessage", { chat_id: CHAT, text: "x" });
    expect((await call("pinChatMessage", { chat_id: CHAT, message_id: sent.result.message_id })).description).toBe(
      "Bad Request: not enough rights to manage pinned messages in the chat",
    );
    expect((await call("getChatMember", { chat_id: CHAT, user_id: SANDBOX_BOT.id })).result.can_pin_messages).toBe(false);
  });
});

describe("bot methods", () => {
  test("commands round trip", async () => {
    const { call } = await start();
    const commands = [{ command: "status", description: "Show the card" }, { command: "repin", description: "Pin it again" }];
    expect((await call("setMyCommands", { commands })).result).toBe(true);
    expect((await call("getMyCommands")).result).toEqual(commands);
    expect((await call("getMyCommands", { scope: { type: "all_group_chats" } })).result).toEqual([]);
  });

  test("invalid command name", async () => {
    const { call } = await start();
    expect((await call("setMyCommands", { commands: [{ command: "Bad Name", description: "x" }] })).description).toBe(
      "Bad Request: BOT_COMMAND_INVALID",
    );
  });

  test("unknown callback query", async () => {
    const { call } = await start();
    expect((await call("answerCallbackQuery", { callback_query_id: "42" })).description).toBe(
      "Bad Request: query is too old and response timeout expired or query ID is invalid",
    );
  });
});
