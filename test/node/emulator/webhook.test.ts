import { describe, expect, test } from "vitest";
import { SANDBOX_BOT, SANDBOX_TOPICS } from "../../../emulator/sandbox.ts";
import { CHAT, start, startReceiver } from "./helpers.ts";

const POLISH = SANDBOX_TOPICS["forum-polish"];

describe("webhook settings", () => {
  test("set and read back", async () => {
    const { call } = await start();
    const set = await call("setWebhook", { url: "http://127.0.0.1:9/hook", secret_token: "s3cret_-", allowed_updates: ["message"] });
    expect(set).toEqual({ status: 200, ok: true, result: true, description: "Webhook was set" });

    const info = (await call("getWebhookInfo")).result;
    expect(info).toMatchObject({ url: "http://127.0.0.1:9/hook", pending_update_count: 0, allowed_updates: ["message"] });
    expect(info).not.toHaveProperty("secret_token");
  });

  test("invalid secret token", async () => {
    const { call } = await start();
    const answer = await call("setWebhook", { url: "http://127.0.0.1:9/hook", secret_token: "has space" });
    expect(answer.description).toBe("Bad Request: secret token contains unallowed characters");
  });

  test("non-loopback URL rejected", async () => {
    const { call } = await start();
    expect((await call("setWebhook", { url: "https://example.com/hook" })).error_code).toBe(400);
  });

  test("delete clears URL", async () => {
    const { call } = await start();
    await call("setWebhook", { url: "http://127.0.0.1:9/hook" });
    expect((await call("deleteWebhook")).description).toBe("Webhook was deleted");
    expect((await call("getWebhookInfo")).result.url).toBe("");
  });
});

describe("update delivery", () => {
  test("send delivers with secret", async () => {
    const { call, control } = await start();
    const receiver = await startReceiver();
    await call("setWebhook", { url: receiver.url, secret_token: "topsecret" });

    const sent = await control("send", {
      chat_id: CHAT, message_thread_id: POLISH, from: { id: 200, username: "bob" }, text: "/status@tgk_sandbox_bot now",
    });
    expect(sent).toMatchObject({ delivered: true, status: 200, attempts: 1 });
    expect(receiver.received).toHaveLength(1);

    const [update] = receiver.received;
    expect(update?.headers["x-telegram-bot-api-secret-token"]).toBe("topsecret");
    expect(update?.body.update_id).toBe(sent.update_id);
    expect(update?.body.message).toMatchObject({
      message_thread_id: POLISH,
      is_topic_message: true,
      text: "/status@tgk_sandbox_bot now",
      entities: [{ type: "bot_command", offset: 0, length: 23 }],
      from: { id: 200, username: "bob", is_bot: false },
    });
  });

  test("no secret header without secret", async () => {
    const { call, control } = await start();
    const receiver = await startReceiver();
    await call("setWebhook", { url: receiver.url });
    await control("send", { chat_id: CHAT, from: { id: 200, username: "bob" }, text: "hi" });
    expect(receiver.received[0]?.headers).not.toHaveProperty("x-telegram-bot-api-secret-token");
  });

  test("retries non-2xx", async () => {
    const { call, control } = await start();
    const receiver = await startReceiver([500, 503]);
    await call("setWebhook", { url: receiver.url });
    const sent = await control("send", { chat_id: CHAT, from: { id: 200, username: "bob" }, text: "hi" });
    expect(sent).toMatchObject({ delivered: true, status: 200, attempts: 3 });
    expect(receiver.received).toHaveLength(3);
  });

  test("gives up and reports error", async () => {
    const { call, control, state } = await start();
    const receiver = await startReceiver([401, 401, 401, 401]);
    await call("setWebhook", { url: receiver.url });
    const sent = await control("send", { chat_id: CHAT, from: { id: 200, username: "bob" }, text: "hi" });
    expect(sent).toMatchObject({ delivered: false, status: 401, attempts: 3 });

    const info = (await call("getWebhookInfo")).result;
    expect(info.pending_update_count).toBe(1);
    expect(info.last_error_message).toBe("Wrong response from the webhook: 401 Unauthorized");
    expect((await state()).webhook.last_error_message).toBe(info.last_error_message);
  });

  test("without webhook stays pending", async () => {
    const { control, call } = await start();
    const sent = await control("send", { chat_id: CHAT, from: { id: 200, username: "bob" }, text: "hi" });
    expect(sent).toMatchObject({ delivered: false, attempts: 0 });
    expect((await call("getWebhookInfo")).result.pending_update_count).toBe(1);
  });

  test("allowed_updates filters", async () => {
    const { call, control } = await start();
    const receiver = await startReceiver();
    await call("setWebhook", { url: receiver.url, allowed_updates: ["callback_query"] });
    const sent = await control("send", { chat_id: CHAT, from: { id: 200, username: "bob" }, text: "hi" });
    expect(sent.delivered).toBe(false);
    expect(receiver.received).toHaveLength(0);
  });

  test("anonymous admin sender", async () => {
    const { control } = await start();
    const sent = await control("send", {
      chat_id: CHAT, sender_chat_id: CHAT, from: { id: 101, username: "dana", is_admin: true }, text: "/repin",
    });
    expect(sent.message.from).toEqual({ id: 1087968824, is_bot: true, first_name: "Group", username: "GroupAnonymousBot" });
    expect(sent.message.sender_chat.id).toBe(CHAT);
  });

  test("press delivers callback query", async () => {
    const { call, control } = await start();
    const receiver = await startReceiver();
    await call("setWebhook", { url: receiver.url });
    const card = await call("sendMessage", {
      chat_id: CHAT, message_thread_id: POLISH, text: "card",
      reply_markup: { inline_keyboard: [[{ text: "Refresh", callback_data: "refresh" }]] },
    });

    const pressed = await control("press", {
      chat_id: CHAT, message_id: card.result.message_id, from: { id: 200, username: "bob" }, data: "refresh",
    });
    expect(pressed.delivered).toBe(true);
    const query = receiver.received[0]?.body.callback_query;
    expect(query).toMatchObject({ data: "refresh", from: { id: 200 }, message: { message_id: card.result.message_id } });

    expect((await call("answerCallbackQuery", { callback_query_id: query.id, text: "Done" })).result).toBe(true);
    expect((await call("answerCallbackQuery", { callback_query_id: query.id })).error_code).toBe(400);
  });

  test("press needs matching button", async () => {
    const { call, control } = await start();
    const card = await call("sendMessage", { chat_id: CHAT, text: "card" });
    const pressed = await control("press", { chat_id: CHAT, message_id: card.result.message_id, from: { id: 200 }, data: "x" });
    expect(pressed.error_code).toBe(400);
  });

  test("bot status change sends my_chat_member", async () => {
    const { call, control } = await start();
    const receiver = await startReceiver();
    await call("setWebhook", { url: receiver.url });
    const changed = await control("members", { chat_id: CHAT, user_id: SANDBOX_BOT.id, status: "kicked" });
    expect(changed.delivery.delivered).toBe(true);

    const update = receiver.received[0]?.body.my_chat_member;
    expect(update.old_chat_member.status).toBe("administrator");
    expect(update.new_chat_member).toMatchObject({ status: "kicked", user: { id: SANDBOX_BOT.id } });
    expect(update.chat.id).toBe(CHAT);
  });

  test("person status change sends nothing", async () => {
    const { call, control } = await start();
    const receiver = await startReceiver();
    await call("setWebhook", { url: receiver.url });
    const changed = await control("members", { chat_id: CHAT, user_id: 200, status: "administrator", rights: { can_pin_messages: true } });
    expect(changed.delivery).toBeNull();
    expect(receiver.received).toHaveLength(0);
  });
});
