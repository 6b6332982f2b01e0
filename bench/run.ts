/**
 * `npm run bench`: measures tgk on 127.0.0.1 against baselines measured in the same run, and writes
 * docs/benchmarks.md and docs/benchmarks.json. Every loop is bounded in count and time, and the
 * whole run stays under about 10 minutes on a 2-core machine.
 */
import { writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { availableParallelism, cpus, totalmem } from "node:os";
import { join } from "node:path";
import { measureAck } from "./figures/ack.ts";
import { measureBundle, measureStartup } from "./figures/bundle.ts";
import { measureCalls } from "./figures/calls.ts";
import { measureFreshness } from "./figures/freshness.ts";
import { measureStorage } from "./figures/storage.ts";
import { measureThroughput } from "./figures/throughput.ts";
import { BenchEmulator, startHub } from "./lib/hub.ts";
import { freePort } from "./lib/http.ts";
import { renderReport, type BenchReport } from "./report.ts";
import { FLOOR_CONFIG, ROOT, startDevServer, type DevServer } from "./lib/wrangler.ts";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";

/** The whole run should end within this; the storage figure gets what is left of it. */
const RUN_BUDGET_MS = 9 * 60_000;
/** Storage never takes longer than this, even with budget to spare. */
const STORAGE_MAX_MS = 240_000;
/** Stopping the last servers and writing the report take well under this. */
const FINISH_RESERVE_MS = 20_000;
const DEFAULT_MAX_WAIT_MS = 15_000;

function versionOf(specifier: string, from: string): string {
  try {
    const require = createRequire(from);
    return (require(specifier) as { version: string }).version;
  } catch {
    return "unknown";
  }
}

function machine(): BenchReport["machine"] {
  const wranglerPackage = createRequire(import.meta.url).resolve("wrangler/package.json");
  return {
    nproc: availableParallelism(),
    memory_gib: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    cpu_model: cpus()[0]?.model ?? "unknown",
    node: process.version,
    wrangler: versionOf("wrangler/package.json", import.meta.url),
    workerd: versionOf("workerd/package.json", wranglerPackage),
    date: new Date().toISOString(),
  };
}

/** Runs one figure; a failure is recorded in the report and the run goes on with the next. */
async function step<T>(report: BenchReport, name: string, run: () => Promise<T> | T): Promise<T | undefined> {
  const startedAt = performance.now();
  console.log(`bench: ${name}...`);
  try {
    return await run();
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    console.error(`bench: ${name} failed: ${message}`);
    report.errors.push({ step: name, message });
    return undefined;
  } finally {
    report.step_seconds[name] = Math.round((performance.now() - startedAt) / 100) / 10;
  }
}

async function main(): Promise<void> {
  const startedAt = performance.now();
  const report: BenchReport = { machine: machine(), step_seconds: {}, errors: [] };

  report.bundle = await step(report, "bundle", measureBundle);
  report.startup = await step(report, "startup", measureStartup);
  const card = await step(report, "calls-card", () => measureCalls("card", DEFAULT_MAX_WAIT_MS));
  const relay = await step(report, "calls-relay", () => measureCalls("relay", DEFAULT_MAX_WAIT_MS));
  report.calls = [...(card ?? []), ...(relay ?? [])];
  report.freshness = await step(report, "freshness", measureFreshness);

  // Acknowledgement, throughput and storage share one card-mode hub and one floor Worker.
  const emulator = await BenchEmulator.start();
  const floorStorage = mkdtempSync(join(tmpdir(), "tgk-bench-floor-"));
  let floor: DevServer | undefined;
  let hub: Awaited<ReturnType<typeof startHub>> | undefined;
  try {
    floor = await step(report, "floor-start", async () => startDevServer({ config: FLOOR_CONFIG, port: await freePort(), persistTo: floorStorage }));
    hub = await step(report, "hub-start", () => startHub(emulator, {}));
    if (floor !== undefined && hub !== undefined) {
      const hubUrl = hub.url;
      const floorUrl = floor.url;
      report.ack = await step(report, "ack", () => measureAck(hubUrl, floorUrl));
      report.throughput = await step(report, "throughput", () => measureThroughput(hubUrl, floorUrl));
    }
    if (hub !== undefined) {
      const remainingMs = RUN_BUDGET_MS - FINISH_RESERVE_MS - (performance.now() - startedAt);
      const storageHub = hub;
      report.storage = await step(report, "storage", () => measureStorage(storageHub, Math.max(10_000, Math.min(STORAGE_MAX_MS, remainingMs))));
    }
  } finally {
    await hub?.stop();
    await floor?.stop();
    await emulator.close();
    rmSync(floorStorage, { recursive: true, force: true });
  }

  report.total_seconds = Math.round((performance.now() - startedAt) / 1000);
  writeFileSync(join(ROOT, "docs", "benchmarks.json"), `${JSON.stringify(report, null, 2)}\n`);
  writeFileSync(join(ROOT, "docs", "benchmarks.md"), renderReport(report));
  console.log(`bench: wrote docs/benchmarks.md and docs/benchmarks.json in ${report.total_seconds} s`);
  if (report.errors.length > 0) process.exitCode = 1;
}

main().catch((error: unknown) => {
  console.error(`bench failed: ${error instanceof Error ? error.stack ?? error.message : String(error)}`);
  process.exit(1);
});
