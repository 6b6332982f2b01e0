import { cloudflareTest } from "@cloudflare/vitest-plugin";
import { defineConfig } from "vitest/config";

/** Fixed secrets for tests; the sandbox uses its own, listed in the README. */
export const TEST_SECRETS = {
  GITHUB_WEBHOOK_SECRET: "test-github-secret",
  TELEGRAM_BOT_TOKEN: "7000000001:sandbox-token",
  TELEGRAM_WEBHOOK_SECRET: "test-telegram-secret",
};

export default defineConfig({
  test: {
    projects: [
      {
        // The Worker and its Durable Objects inside workerd, against the emulator over real HTTP.
        plugins: [
          cloudflareTest(({ inject }) => ({
            wrangler: { configPath: "./wrangler.jsonc" },
            miniflare: {
              bindings: {
                ...TEST_SECRETS,
                TELEGRAM_API_ROOT: inject("emulatorUrl"),
                STREAMS: JSON.stringify(inject("testStreams")),
                BOT_USERNAME: "tgk_sandbox_bot",
                BOT_ID: "7000000001",
                DEBOUNCE_MS: "150",
                MAX_WAIT_MS: "1500",
                // Alarms still running when a test file ends would log into a closed test runner.
                LOG_LEVEL: process.env.TGK_TEST_LOG_LEVEL ?? "silent",
              },
            },
          })),
        ],
        test: {
          name: "worker",
          include: ["test/worker/**/*.test.ts"],
          globalSetup: ["test/setup/emulator.ts"],
          testTimeout: 30_000,
        },
      },
      {
        test: {
          name: "node",
          include: ["test/node/**/*.test.ts"],
          environment: "node",
          testTimeout: 60_000,
        },
      },
    ],
  },
});
