/**
 * Runs the emulator headless: `node emulator/main.ts [--port 8790] [--host 127.0.0.1]
 * [--seed sandbox|empty]`. Stops on SIGINT or SIGTERM.
 */

import { parseArgs } from "node:util";
import { SANDBOX_BOT } from "./sandbox.ts";
import { startEmulator } from "./server.ts";

const USAGE = "usage: node emulator/main.ts [--port 8790] [--host 127.0.0.1] [--seed sandbox|empty]";

function readOptions(): { port: number; host: string; seed: "sandbox" | "empty" } {
  const { values } = parseArgs({
    options: {
      port: { type: "string", default: "8790" },
      host: { type: "string", default: "127.0.0.1" },
      seed: { type: "string", default: "sandbox" },
    },
  });
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`Invalid --port ${values.port}: expected 0-65535. ${USAGE}`);
  if (values.seed !== "sandbox" && values.seed !== "empty") throw new Error(`Invalid --seed ${values.seed}: expected sandbox or empty. ${USAGE}`);
  return { port, host: values.host, seed: values.seed };
}

let options: ReturnType<typeof readOptions>;
try {
  options = readOptions();
} catch (error) {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(2);
}

const emulator = await startEmulator(options);
console.log(`Telegram Bot API emulator listening on ${emulator.url} (seed ${options.seed})`);
console.log(`Bot token: ${SANDBOX_BOT.token}`);
console.log(`Bot API root: ${emulator.url}/bot${SANDBOX_BOT.token}/`);

async function stop(signal: string): Promise<void> {
  console.log(`Received ${signal}, stopping the emulator`);
  await emulator.close();
  process.exit(0);
}
process.once("SIGINT", () => void stop("SIGINT"));
process.once("SIGTERM", () => void stop("SIGTERM"));
