import { describe, expect, it } from "vitest";
import { ConfigError, parseConfig } from "../../src/config.ts";

const VALID = {
  STREAMS: { "mobile-app": { chat_id: -1001234567890, message_thread_id: 3 } },
  GITHUB_WEBHOOK_SECRET: "s",
  TELEGRAM_BOT_TOKEN: "1:t",
  TELEGRAM_WEBHOOK_SECRET: "ok_token-1",
};

function errorFor(vars: Record<string, unknown>): ConfigError {
  try {
    parseConfig({ ...VALID, ...vars });
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error("expected a ConfigError");
}

describe("parseConfig", () => {
  it("applies the defaults", () => {
    const config = parseConfig(VALID);
    expect(config.defaultStream).toBe("forum-polish");
    expect(config.debounceMs).toBe(2_000);
    expect(config.maxWaitMs).toBe(15_000);
    expect(config.publishMode).toBe("card");
    expect(config.chatIds.has(-1001234567890)).toBe(true);
  });

  it("reads JSON-encoded strings from --var", () => {
    const config = parseConfig({ ...VALID, STREAMS: JSON.stringify(VALID.STREAMS), ROUTES: '[{"repository": "Octo/App", "stream": "mobile-app"}]' });
    expect(config.streams["mobile-app"]).toEqual({ chat_id: -1001234567890, message_thread_id: 3 });
    expect(config.routes).toEqual([{ stream: "mobile-app", repository: "octo/app" }]);
  });

  it("maps thread 1 to General", () => {
    const config = parseConfig({ ...VALID, STREAMS: { general: { chat_id: -1001, message_thread_id: 1 } } });
    expect(config.streams.general).toEqual({ chat_id: -1001 });
  });

  const cases: Array<[string, Record<string, unknown>, string]> = [
    ["DEBOUNCE_MS not a number", { DEBOUNCE_MS: "soon" }, "DEBOUNCE_MS"],
    ["MAX_WAIT_MS below debounce", { DEBOUNCE_MS: "5000", MAX_WAIT_MS: "1000" }, "MAX_WAIT_MS"],
    ["stream name with spaces", { STREAMS: { "Mobile App": { chat_id: -1 } } }, "STREAMS.Mobile App"],
    ["chat_id as a string", { STREAMS: { app: { chat_id: "-100" } } }, "STREAMS.app.chat_id"],
    ["negative thread id", { STREAMS: { app: { chat_id: -1, message_thread_id: -2 } } }, "STREAMS.app.message_thread_id"],
    ["STREAMS not JSON", { STREAMS: "{nope" }, "STREAMS"],
    ["ROUTES not an array", { ROUTES: { stream: "x" } }, "ROUTES"],
    ["route without stream", { ROUTES: [{ repository: "a/b" }] }, "ROUTES[0].stream"],
    ["PUBLISH_MODE unknown", { PUBLISH_MODE: "fanout" }, "PUBLISH_MODE"],
    ["LOG_LEVEL unknown", { LOG_LEVEL: "debug" }, "LOG_LEVEL"],
    ["BOT_ID not numeric", { BOT_ID: "tgk_bot" }, "BOT_ID"],
    ["REPIN_USER_IDS strings", { REPIN_USER_IDS: ["alice"] }, "REPIN_USER_IDS"],
    ["webhook secret with spaces", { TELEGRAM_WEBHOOK_SECRET: "not allowed" }, "TELEGRAM_WEBHOOK_SECRET"],
    ["TELEGRAM_API_ROOT not a URL", { TELEGRAM_API_ROOT: "api.telegram.org" }, "TELEGRAM_API_ROOT"],
  ];
  for (const [name, vars, field] of cases) {
    it(`names the field: ${name}`, () => {
      const error = errorFor(vars);
      expect(error.field).toBe(field);
      expect(error.message).toContain(`invalid configuration: ${field}`);
    });
  }
});
