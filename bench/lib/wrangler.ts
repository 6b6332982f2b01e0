/** Starting and stopping `wrangler dev` (and the workerd it spawns) for the benchmark. */
import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { sleep } from "./http.ts";

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
export const FLOOR_CONFIG = join(ROOT, "bench", "floor", "wrangler.jsonc");
export const HUB_CONFIG = join(ROOT, "wrangler.jsonc");

/** A cold `wrangler dev` on this 2-core machine needs well under this to respond to GET /health. */
const START_TIMEOUT_MS = 90_000;

export function wranglerBin(): string {
  const wranglerPackage = createRequire(import.meta.url).resolve("wrangler/package.json");
  return join(dirname(wranglerPackage), "bin", "wrangler.js");
}

export interface DevServer {
  url: string;
  /** Milliseconds from spawning `wrangler dev` to the first 200 from GET /health. */
  startMs: number;
  stop(): Promise<void>;
}

/** Kills a detached child's whole process group, so workerd goes with wrangler. */
export async function killGroup(child: ChildProcess, signal: NodeJS.Signals = "SIGTERM"): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, "exit");
  try {
    if (child.pid !== undefined) process.kill(-child.pid, signal);
  } catch {
    child.kill(signal);
  }
  const timer = setTimeout(() => {
    try {
      if (child.pid !== undefined) process.kill(-child.pid, "SIGKILL");
    } catch {
      // Already gone.
    }
  }, 5_000);
  await exited;
  clearTimeout(timer);
}

/** Starts `wrangler dev -c <config>` on 127.0.0.1:<port> and waits for GET /health to return 200. */
export async function startDevServer(options: { config: string; port: number; persistTo: string; args?: string[] }): Promise<DevServer> {
  const url = `http://127.0.0.1:${options.port}`;
  const startedAt = performance.now();
  const child = spawn(
    process.execPath,
    [
      wranglerBin(),
      "dev",
      "-c", options.config,
      "--ip", "127.0.0.1",
      "--port", String(options.port),
      "--inspector-port", "0",
      "--persist-to", options.persistTo,
      "--show-interactive-dev-session=false",
      ...(options.args ?? []),
    ],
    {
      cwd: ROOT,
      stdio: ["ignore", "pipe", "pipe"],
      env: { ...process.env, WRANGLER_SEND_METRICS: "false", NO_COLOR: "1" },
      detached: true,
    },
  );
  // Output is read as it arrives, so a full pipe cannot block the server. The last 50 chunks are kept for errors.
  const tail: string[] = [];
  for (const stream of [child.stdout, child.stderr]) {
    stream.setEncoding("utf8");
    stream.on("data", (chunk: string) => {
      tail.push(chunk);
      if (tail.length > 50) tail.shift();
    });
  }

  const deadline = Date.now() + START_TIMEOUT_MS;
  for (;;) {
    if (child.exitCode !== null) {
      throw new Error(`wrangler dev -c ${options.config} exited with code ${child.exitCode}: ${tail.join("").slice(-2000)}`);
    }
    const healthy = await fetch(`${url}/health`).then((response) => response.ok, () => false);
    if (healthy) break;
    if (Date.now() > deadline) {
      await killGroup(child, "SIGKILL");
      throw new Error(`wrangler dev -c ${options.config} did not respond on ${url}/health within ${START_TIMEOUT_MS / 1000} s`);
    }
    await sleep(25);
  }
  const startMs = performance.now() - startedAt;
  return { url, startMs, stop: () => killGroup(child) };
}
