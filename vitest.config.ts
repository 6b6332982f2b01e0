import { cloudflareTest } from "@cloudflare/vitest-plugin";
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    projects: [
      {
        plugins: [
          cloudflareTest(({ inject }) => ({
            wrangler: { configPath: "./wrangler.jsonc" },
            miniflare: { bindings: { TELEGRAM_API_ROOT: inject("emulatorUrl") } },
          })),
        ],
        test: { name: "worker", include: ["test/worker/**/*.test.ts"], globalSetup: ["test/setup/emulator.ts"] },
      },
      { test: { name: "node", include: ["test/node/**/*.test.ts"], environment: "node" } },
    ],
  },
});
