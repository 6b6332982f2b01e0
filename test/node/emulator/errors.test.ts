import { describe, expect, test } from "vitest";
import { formatDescription } from "../../../emulator/errors.ts";
import { SANDBOX_BOT } from "../../../emulator/sandbox.ts";
import { CHAT, start } from "./helpers.ts";

describe("error shape", () => {
  test("unknown token is 401", async () => {
    const { call } = await start();
    const answer = await call("getMe", {}, "123:wrong");
    expect(answer.status).toBe(401);
    expect(answer).toEqual({ status: 401, ok: false, error_code: 401, description: "Unauthorized" });
  });

  test("unknown method is 404", async () => {
    const { call } = await start();
    const answer = await call("sendPigeon");
    expect(answer.status).toBe(404);
    expect(answer).toEqual({ status: 404, ok: false, error_code: 404, description: "Not Found" });
  });

  test("method names ignore case", async () => {
    const { call } = await start();
    expect((await call("GETME")).result.username).toBe(SANDBOX_BOT.username);
  });

  test("path outside /bot is 404", async () => {
    const { emulator } = await start();
    const response = await fetch(`${emulator.url}/nothing`);
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({ ok: false, error_code: 404, description: "Not Found" });
  });

  test("description prefix and case rules", () => {
    expect(formatDescription(400, "Message thread not found")).toBe("Bad Request: message thread not found");
    expect(formatDescription(400, "TOPIC_CLOSED")).toBe("Bad Request: TOPIC_CLOSED");
    expect(formatDescription(403, "Bot was kicked from the supergroup chat")).toBe(
      "Forbidden: bot was kicked from the supergroup chat",
    );
    expect(formatDescription(429, "retry after 5")).toBe("Too Many Requests: retry after 5");
    expect(formatDescription(401, "")).toBe("Unauthorized");
  });

  test("parameters absent when empty", async () => {
    const { call } = await start();
    const answer = await call("getChat", { chat_id: -100999 });
    expect(answer).not.toHaveProperty("parameters");
  });

  test("broken JSON body is 400", async () => {
    const { emulator } = await start();
    const response = await fetch(`${emulator.url}/bot${SANDBOX_BOT.token}/getMe`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: "{not json",
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ ok: false, error_code: 400, description: "Bad Request: can't parse JSON object" });
  });
});

describe("chat access", () => {
  test("missing chat_id", async () => {
    const { call } = await start();
    expect(await call("sendMessage", { text: "x" })).toMatchObject({
      error_code: 400, description: "Bad Request: chat_id is empty",
    });
  });

  test("unknown chat", async () => {
    const { call } = await start();
    expect(await call("sendMessage", { chat_id: -100555, text: "x" })).toMatchObject({
      status: 400, error_code: 400, description: "Bad Request: chat not found",
    });
  });

  test("username chat_id is not found", async () => {
    const { call } = await start();
    expect((await call("getChat", { chat_id: "@somewhere" })).description).toBe("Bad Request: chat not found");
  });

  test("bot kicked from supergroup", async () => {
    const { call, control } = await start();
    await control("members", { chat_id: CHAT, user_id: SANDBOX_BOT.id, status: "kicked" });
    expect(await call("sendMessage", { chat_id: CHAT, text: "x" })).toMatchObject({
      status: 403, error_code: 403, description: "Forbidden: bot was kicked from the supergroup chat",
    });
  });

  test("bot left the supergroup", async () => {
    const { call, control } = await start();
    await control("members", { chat_id: CHAT, user_id: SANDBOX_BOT.id, status: "left" });
    expect(await call("getChat", { chat_id: CHAT })).toMatchObject({
      status: 403, description: "Forbidden: bot is not a member of the supergroup chat",
    });
  });

  test("bot never added to chat", async () => {
    const { call, control } = await start();
    const chat = await control("chats", { title: "elsewhere", type: "supergroup", is_forum: false, bot_rights: null });
    expect((await call("sendMessage", { chat_id: chat.id, text: "x" })).description).toBe(
      "Forbidden: bot is not a member of the supergroup chat",
    );
  });

  test("bot kicked from basic group", async () => {
    const { call, control } = await start();
    const chat = await control("chats", { title: "old group", type: "group", is_forum: false });
    await control("members", { chat_id: chat.id, user_id: SANDBOX_BOT.id, status: "kicked" });
    expect((await call("sendMessage", { chat_id: chat.id, text: "x" })).description).toBe(
      "Forbidden: bot was kicked from the group chat",
    );
  });

  test("upgraded group answers migrate", async () => {
    const { call, control } = await start();
    const group = await control("chats", { title: "old group", type: "group", is_forum: false });
    expect((await call("sendMessage", { chat_id: group.id, text: "before" })).ok).toBe(true);

    const upgrade = await control("upgrade", { chat_id: group.id });
    expect(upgrade.migrate_to_chat_id).toBeLessThan(-1_000_000_000_000);
    const answer = await call("sendMessage", { chat_id: group.id, text: "after" });
    expect(answer).toEqual({
      status: 400,
      ok: false,
      error_code: 400,
      description: "Bad Request: group chat was upgraded to a supergroup chat",
      parameters: { migrate_to_chat_id: upgrade.migrate_to_chat_id },
    });

    const moved = await call("sendMessage", { chat_id: upgrade.migrate_to_chat_id, text: "after" });
    expect(moved.ok).toBe(true);
    expect(moved.result.chat.type).toBe("supergroup");
  });
});

describe("request encodings", () => {
  test("urlencoded form body", async () => {
    const { emulator } = await start();
    const response = await fetch(`${emulator.url}/bot${SANDBOX_BOT.token}/sendMessage`, {
      method: "POST",
      body: new URLSearchParams({ chat_id: String(CHAT), message_thread_id: "2", text: "<b>form</b>", parse_mode: "HTML" }),
    });
    const answer = await response.json();
    expect(answer.ok).toBe(true);
    expect(answer.result.text).toBe("form");
    expect(answer.result.message_thread_id).toBe(2);
  });

  test("multipart form body", async () => {
    const { emulator } = await start();
    const form = new FormData();
    form.set("chat_id", String(CHAT));
    form.set("text", "multi");
    form.set("reply_markup", JSON.stringify({ inline_keyboard: [[{ text: "go", callback_data: "go" }]] }));
    const response = await fetch(`${emulator.url}/bot${SANDBOX_BOT.token}/sendMessage`, { method: "POST", body: form });
    const answer = await response.json();
    expect(answer.ok).toBe(true);
    expect(answer.result.reply_markup.inline_keyboard[0][0].callback_data).toBe("go");
  });

  test("GET with query string", async () => {
    const { emulator } = await start();
    const response = await fetch(`${emulator.url}/bot${SANDBOX_BOT.token}/getChat?chat_id=${CHAT}`);
    const answer = await response.json();
    expect(answer.ok).toBe(true);
    expect(answer.result.is_forum).toBe(true);
  });

  test("bad reply_markup JSON", async () => {
    const { emulator } = await start();
    const response = await fetch(`${emulator.url}/bot${SANDBOX_BOT.token}/sendMessage`, {
      method: "POST",
      body: new URLSearchParams({ chat_id: String(CHAT), text: "x", reply_markup: "{oops" }),
    });
    expect(await response.json()).toMatchObject({
      error_code: 400, description: "Bad Request: can't parse reply keyboard markup JSON object",
    });
  });
});
