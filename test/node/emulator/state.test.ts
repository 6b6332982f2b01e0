import { describe, expect, test } from "vitest";
import { SANDBOX_BOT, SANDBOX_CHAT_ID, SANDBOX_TOPICS, SANDBOX_USERS } from "../../../emulator/sandbox.ts";
import { CHAT, start } from "./helpers.ts";

describe("state", () => {
  test("sandbox seed shape", async () => {
    const { state } = await start();
    const snapshot = await state();
    expect(snapshot.chats).toHaveLength(1);

    const chat = snapshot.chats[0];
    expect(chat).toMatchObject({ id: SANDBOX_CHAT_ID, title: "tgk sandbox", type: "supergroup", is_forum: true, pinned_message_ids: [] });
    expect(chat.topics.map((topic: { name: string; message_thread_id: number }) => [topic.name, topic.message_thread_id])).toEqual([
      ["General", 1], ["forum-polish", SANDBOX_TOPICS["forum-polish"]], ["mobile-app", SANDBOX_TOPICS["mobile-app"]],
    ]);
    expect(chat.messages.map((message: { message_id: number }) => message.message_id)).toEqual([1, 2, 3]);
    expect(snapshot.calls).toEqual([]);
    expect(snapshot.webhook).toEqual({ url: "", allowed_updates: [], pending_update_count: 0 });
    expect(SANDBOX_USERS.owner.id).toBe(100);
  });

  test("empty seed has no chats", async () => {
    const { state, call } = await start("empty");
    expect((await state()).chats).toEqual([]);
    expect((await call("getMe")).result.id).toBe(SANDBOX_BOT.id);
  });

  test("message text is what users see", async () => {
    const { call, state } = await start();
    await call("sendMessage", { chat_id: CHAT, text: "<b>a</b> &lt;b&gt;", parse_mode: "HTML" });
    const message = (await state()).chats[0].messages.at(-1);
    expect(message).toMatchObject({
      message_id: 4,
      message_thread_id: null,
      from: { id: SANDBOX_BOT.id, is_bot: true, username: "tgk_sandbox_bot" },
      text: "a <b>",
      entities: [{ type: "bold", offset: 0, length: 1 }],
      deleted: false,
    });
  });

  test("calls listed in order", async () => {
    const { call, state } = await start();
    await call("getMe");
    await call("sendMessage", { chat_id: CHAT, text: "x" });
    await call("pinChatMessage", { chat_id: CHAT, message_id: 99 });
    const calls = (await state()).calls;

    expect(calls.map((entry: { method: string }) => entry.method)).toEqual(["getMe", "sendMessage", "pinChatMessage"]);
    expect(calls[1]).toMatchObject({ ok: true, error_code: null, chat_id: CHAT, message_id: 4 });
    expect(calls[2]).toMatchObject({ ok: false, error_code: 400, chat_id: CHAT, message_id: 99 });
    expect(Number.isNaN(Date.parse(calls[0].at))).toBe(false);
  });

  test("reset restores seed", async () => {
    const { call, control, state } = await start();
    await call("sendMessage", { chat_id: CHAT, text: "x" });
    await call("setWebhook", { url: "http://127.0.0.1:9/hook" });
    await control("chats", { title: "extra", type: "group", is_forum: false });
    await control("config", { rate_limit_per_minute: 1 });

    expect(await control("reset", {})).toEqual({ ok: true });
    const snapshot = await state();
    expect(snapshot.chats).toHaveLength(1);
    expect(snapshot.chats[0].messages).toHaveLength(3);
    expect(snapshot.calls).toEqual([]);
    expect(snapshot.webhook.url).toBe("");
    expect(snapshot.rate_limit_per_minute).toBe(20);
  });

  test("unknown control path", async () => {
    const { control } = await start();
    expect(await control("nothing", {})).toEqual({ ok: false, error_code: 404, description: "Not Found" });
  });

  test("control field errors name field", async () => {
    const { control } = await start();
    expect((await control("topics", { chat_id: "x", action: "close" })).description).toBe(
      'Bad Request: field "chat_id" must be an integer, got "x"',
    );
    expect((await control("chats", { title: "t", type: "channel" })).description).toBe(
      'Bad Request: field "type" must be one of supergroup, group, got "channel"',
    );
  });
});
