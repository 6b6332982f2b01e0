import { describe, expect, test } from "vitest";
import { ChatRateLimiter } from "../../../emulator/rate-limit.ts";
import { CHAT, start } from "./helpers.ts";

describe("rate limit", () => {
  test("21st message in a minute is 429", async () => {
    const { call } = await start();
    for (let i = 0; i < 20; i++) expect((await call("sendMessage", { chat_id: CHAT, text: `m${i}` })).ok).toBe(true);

    const answer = await call("sendMessage", { chat_id: CHAT, text: "one too many" });
    expect(answer.status).toBe(429);
    expect(answer.error_code).toBe(429);
    const retryAfter = answer.parameters?.retry_after as number;
    expect(retryAfter).toBeGreaterThanOrEqual(59);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(answer.description).toBe(`Too Many Requests: retry after ${retryAfter}`);
  });

  test("edits share the limit", async () => {
    const { call, control } = await start();
    await control("config", { rate_limit_per_minute: 2 });
    const sent = await call("sendMessage", { chat_id: CHAT, text: "a" });
    await call("editMessageText", { chat_id: CHAT, message_id: sent.result.message_id, text: "b" });
    const answer = await call("editMessageText", { chat_id: CHAT, message_id: sent.result.message_id, text: "c" });
    expect(answer.error_code).toBe(429);
  });

  test("limit is per chat", async () => {
    const { call, control } = await start();
    await control("config", { rate_limit_per_minute: 1 });
    const other = await control("chats", { title: "other", type: "supergroup", is_forum: false });
    expect((await call("sendMessage", { chat_id: CHAT, text: "a" })).ok).toBe(true);
    expect((await call("sendMessage", { chat_id: other.id, text: "a" })).ok).toBe(true);
    expect((await call("sendMessage", { chat_id: CHAT, text: "b" })).error_code).toBe(429);
  });

  test("failed sends do not count", async () => {
    const { call, control } = await start();
    await control("config", { rate_limit_per_minute: 1 });
    await call("sendMessage", { chat_id: CHAT, text: "" });
    expect((await call("sendMessage", { chat_id: CHAT, text: "a" })).ok).toBe(true);
  });

  test("retry_after counts to the oldest slot", () => {
    const limiter = new ChatRateLimiter();
    limiter.limitPerMinute = 2;
    limiter.record(1, 0);
    limiter.record(1, 30_000);
    expect(() => limiter.check(1, 45_500)).toThrow("retry after 15");
    expect(() => limiter.check(1, 60_001)).not.toThrow();
  });

  test("zero turns the limit off", async () => {
    const { call, control } = await start();
    await control("config", { rate_limit_per_minute: 0 });
    for (let i = 0; i < 25; i++) expect((await call("sendMessage", { chat_id: CHAT, text: `m${i}` })).ok).toBe(true);
  });
});
