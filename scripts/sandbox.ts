#!/usr/bin/env node
/**
 * The sandbox: the hub on workerd (`wrangler dev`) against the Telegram emulator, with a demo forum
 * whose topics forum-polish and mobile-app are bound to the streams of those names. No accounts.
 *
 * `npm start` runs it until Ctrl-C; tests import startSandbox() to run the real hub.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { rm } from "node:fs/promises";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { SANDBOX_BOT, SANDBOX_CHAT_ID, SANDBOX_TOPICS } from "../emulator/sandbox.ts";
import { type RunningEmulator, startEmulator } from "../emulator/server.ts";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");
export const SANDBOX_ENV_FILE = join(ROOT, "sandbox", "sandbox.env");
export const SANDBOX_GITHUB_SECRET = "sandbox-github-secret";
export const SANDBOX_TELEGRAM_SECRET = "sandbox-telegram-secret";

/** Lines of hub output kept when captured; older lines are dropped. */
const MAX_CAPTURED_LINES = 200_000;

/** The hub needs this long at most to start on a cold 2-core machine. */
const HUB_START_TIMEOUT_MS = 90_000;

export interface SandboxOptions {
  hubPort?: number;
  emulatorPort?: number;
  /** Folder for the hub's Durable Object storage; kept across restarts. */
  persistTo?: string;
  /** Extra `--var NAME:VALUE` settings for the hub, e.g. DEBOUNCE_MS. */
  vars?: Record<string, string>;
  /** Start the hub against an emulator that is already running. */
  emulatorUrl?: string;
  /** "inherit" (default) prints the hub's output; "capture" keeps it in `Sandbox.output`. */
  hubOutput?: "inherit" | "capture";
}

export interface Sandbox {
  hubUrl: string;
  emulatorUrl: string;
  hub: ChildProcess;
  /** The hub's stdout and stderr lines, when started with hubOutput "capture". */
  output: string[];
  /** Stops the hub (and the emulator if this sandbox started it). */
  stop(): Promise<void>;
  /** Kills the hub at once, as a crash would, leaving the emulator running. */
  killHub(): Promise<void>;
}

/** Stream bindings of the demo forum. */
export function sandboxStreams(): Record<string, { chat_id: number; message_thread_id: number }> {
  return Object.fromEntries(
    Object.entries(SANDBOX_TOPICS).map(([name, threadId]) => [name, { chat_id: SANDBOX_CHAT_ID, message_thread_id: threadId }]),
  );
}

async function waitForHealth(url: string, hub: ChildProcess): Promise<void> {
  const deadline = Date.now() + HUB_START_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (hub.exitCode !== null) throw new Error(`wrangler dev exited with code ${hub.exitCode} before the hub responded`);
    try {
      const response = await fetch(`${url}/health`);
      if (response.ok) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`the hub did not respond on ${url}/health within ${HUB_START_TIMEOUT_MS / 1000} s`);
}

export async function startSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  let emulator: RunningEmulator | undefined;
  let emulatorUrl = options.emulatorUrl;
  if (emulatorUrl === undefined) {
    emulator = await startEmulator({ port: options.emulatorPort ?? 8790, seed: "sandbox" });
    emulatorUrl = emulator.url;
  }

  const hubPort = options.hubPort ?? 8787;
  const hubUrl = `http://127.0.0.1:${hubPort}`;
  const vars: Record<string, string> = {
    TELEGRAM_API_ROOT: emulatorUrl,
    STREAMS: JSON.stringify(sandboxStreams()),
    BOT_USERNAME: SANDBOX_BOT.username,
    BOT_ID: String(SANDBOX_BOT.id),
    DEBUG_ENDPOINTS: "true",
    ...options.vars,
  };
  const wranglerPackage = createRequire(import.meta.url).resolve("wrangler/package.json");
  const wrangler = join(dirname(wranglerPackage), "bin", "wrangler.js");
  const args = [
    wrangler,
    "dev",
    "--ip", "127.0.0.1",
    "--port", String(hubPort),
    "--inspector-port", "0",
    "--env-file", SANDBOX_ENV_FILE,
    "--persist-to", options.persistTo ?? join(ROOT, ".wrangler", "sandbox"),
    "--show-interactive-dev-session=false",
    ...Object.entries(vars).flatMap(([name, value]) => ["--var", `${name}:${value}`]),
  ];
  const capture = options.hubOutput === "capture";
  const hub = spawn(process.execPath, args, {
    cwd: ROOT,
    stdio: ["ignore", capture ? "pipe" : "inherit", capture ? "pipe" : "inherit"],
    env: { ...process.env, WRANGLER_SEND_METRICS: "false", NO_COLOR: "1" },
    detached: process.platform !== "win32",
  });

  // Captured output is read as it comes, so a full pipe never blocks the hub.
  const output: string[] = [];
  for (const stream of [hub.stdout, hub.stderr]) {
    stream?.setEncoding("utf8");
    let partial = "";
    stream?.on("data", (chunk: string) => {
      const lines = (partial + chunk).split("\n");
      partial = lines.pop() ?? "";
      output.push(...lines);
      if (output.length > MAX_CAPTURED_LINES) output.splice(0, output.length - MAX_CAPTURED_LINES);
    });
  }

  const killHub = async (signal: NodeJS.Signals = "SIGKILL"): Promise<void> => {
    if (hub.exitCode !== null || hub.signalCode !== null) return;
    const exited = once(hub, "exit");
    // wrangler dev runs workerd as its own child, so the whole process group goes.
    try {
      if (hub.pid !== undefined && process.platform !== "win32") process.kill(-hub.pid, signal);
      else hub.kill(signal);
    } catch {
      hub.kill(signal);
    }
    await exited;
  };

  try {
    await waitForHealth(hubUrl, hub);
    // Telegram delivers updates to the hub's /telegram with the webhook secret.
    await fetch(`${emulatorUrl}/bot${SANDBOX_BOT.token}/setWebhook`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ url: `${hubUrl}/telegram`, secret_token: SANDBOX_TELEGRAM_SECRET }),
    });
  } catch (error) {
    await killHub();
    await emulator?.close();
    throw error;
  }

  return {
    hubUrl,
    emulatorUrl,
    hub,
    output,
    killHub: () => killHub("SIGKILL"),
    async stop() {
      await killHub("SIGTERM");
      await emulator?.close();
    },
  };
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: "string", default: process.env.TGK_HUB_PORT ?? "8787" },
      "emulator-port": { type: "string", default: process.env.TGK_EMULATOR_PORT ?? "8790" },
      help: { type: "boolean", short: "h" },
    },
  });
  if (values.help) {
    console.log(`Usage: npm start [-- --port 8787 --emulator-port 8790]

Runs the hub on workerd at 127.0.0.1:<port> against the Telegram emulator at
127.0.0.1:<emulator-port>, with the demo forum "tgk sandbox". Ctrl-C stops both.
Environment: TGK_HUB_PORT and TGK_EMULATOR_PORT set the same ports.`);
    return;
  }

  console.log("Starting the tgk sandbox (wrangler dev and the Telegram emulator)...");
  // The emulator's forum starts empty on every run, so the hub's state starts empty too: a card id
  // kept from an earlier run would name another message in the new forum.
  const persistTo = join(ROOT, ".wrangler", "sandbox");
  await rm(persistTo, { recursive: true, force: true });
  const sandbox = await startSandbox({ hubPort: Number(values.port), emulatorPort: Number(values["emulator-port"]), persistTo });
  console.log(`
tgk sandbox is running.
  Hub:               ${sandbox.hubUrl}  (GitHub: POST /github/<stream>, Telegram: POST /telegram)
  Telegram emulator: ${sandbox.emulatorUrl}  (state: GET /__emulator/state)
  Forum:             "tgk sandbox" (chat ${SANDBOX_CHAT_ID}), topics ${Object.entries(SANDBOX_TOPICS).map(([name, id]) => `${name} (${id})`).join(", ")}
  GitHub secret:     ${SANDBOX_GITHUB_SECRET}
  Telegram secret:   ${SANDBOX_TELEGRAM_SECRET}
Try: npx tgk hook simulate mobile-app --pr 1 --action opened${sandbox.hubUrl.endsWith(":8787") ? "" : ` --url ${sandbox.hubUrl}`}
Press Ctrl-C to stop.`);

  let stopping = false;
  const stop = async (): Promise<void> => {
    if (stopping) return;
    stopping = true;
    console.log("\nStopping the sandbox...");
    await sandbox.stop();
    console.log("Sandbox stopped.");
    process.exit(0);
  };
  process.on("SIGINT", () => void stop());
  process.on("SIGTERM", () => void stop());
  sandbox.hub.on("exit", (code) => {
    if (!stopping) {
      console.error(`wrangler dev exited with code ${code}; stopping the sandbox.`);
      void sandbox.stop().then(() => process.exit(1));
    }
  });
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  main().catch((error: unknown) => {
    console.error(`The sandbox failed to start: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  });
}
