import { describe, expect, test } from "vitest";
import { SANDBOX_BOT } from "../../../emulator/sandbox.ts";
import { CHAT, start } from "./helpers.ts";

describe("faults", () => {
  test("error sent verbatim", async () => {
    const { call, control } = await start();
    await control("faults", {
      method: "sendMessage", error_code: 429, description: "Too Many Requests: retry after 7", parameters: { retry_after: 7 },
    });
    expect(await call("sendMessage", { chat_id: CHAT, text: "x" })).toEqual({
      status: 429, ok: false, error_code: 429, description: "Too Many Requests: retry after 7", parameters: { retry_after: 7 },
    });
    expect((await call("sendMessage", { chat_id: CHAT, text: "x" })).ok).toBe(true);
  });

  test("count and wildcard", async () => {
    const { call, control } = await start();
    await control("faults", { method: "*", count: 2, error_code: 500 });
    expect(await call("getMe")).toMatchObject({ status: 500, description: "Internal Server Error" });
    expect((await call("getChat", { chat_id: CHAT })).error_code).toBe(500);
    expect((await call("getMe")).ok).toBe(true);
  });

  test("other methods unaffected", async () => {
    const { call, control } = await start();
    await control("faults", { method: "pinChatMessage", error_code: 400, description: "Bad Request: nope" });
    expect((await call("getMe")).ok).toBe(true);
    expect((await call("pinChatMessage", { chat_id: CHAT, message_id: 1 })).description).toBe("Bad Request: nope");
  });

  test("delete clears faults", async () => {
    const { call, control } = await start();
    await control("faults", { method: "getMe", error_code: 500 });
    await control("faults", undefined, "DELETE");
    expect((await call("getMe")).ok).toBe(true);
  });

  test("delay answers late", async () => {
    const { call, control } = await start();
    await control("faults", { method: "getMe", delay_ms: 150 });
    const started = Date.now();
    expect((await call("getMe")).ok).toBe(true);
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
  });

  test("network closes connection", async () => {
    const { call, control } = await start();
    await control("faults", { network: true });
    await expect(call("getMe")).rejects.toThrow();
    expect((await call("getMe")).ok).toBe(true);
  });

  test("hang released by reset", async () => {
    const { emulator, control, state } = await start();
    await control("faults", { method: "sendMessage", hang: true });
    let settled = false;
    const pending = fetch(`${emulator.url}/bot${SANDBOX_BOT.token}/sendMessage?chat_id=${CHAT}&text=x`).then(
      () => { settled = true; },
      () => { settled = true; },
    );
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(settled).toBe(false);
    expect((await state()).calls.at(-1)).toMatchObject({ method: "sendMessage", ok: false, error_code: null });

    await control("reset", {});
    await pending;
    expect(settled).toBe(true);
  });

  test("hang released by close", async () => {
    const { emulator, control } = await start();
    await control("faults", { method: "getMe", hang: true });
    const pending = fetch(`${emulator.url}/bot${SANDBOX_BOT.token}/getMe`);
    await new Promise((resolve) => setTimeout(resolve, 50));
    await emulator.close();
    await expect(pending).rejects.toThrow();
  });

  test("fault without effect rejected", async () => {
    const { control } = await start();
    expect(await control("faults", { method: "getMe" })).toEqual({
      ok: false, error_code: 400, description: "Bad Request: a fault needs error_code or description, hang, network or delay_ms",
    });
  });
});
