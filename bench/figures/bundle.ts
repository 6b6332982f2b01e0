/**
 * Figure 5: the deployable bundle from `wrangler deploy --dry-run` (offline, nothing uploaded) with
 * each package's share from esbuild's metafile, and the time a cold `wrangler dev` takes to respond
 * to its first GET /health, tgk against the floor Worker.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { freePort, percentile, round } from "../lib/http.ts";
import { FLOOR_CONFIG, HUB_CONFIG, ROOT, startDevServer, wranglerBin } from "../lib/wrangler.ts";

const COLD_STARTS_EACH = 3;
const DRY_RUN_TIMEOUT_MS = 120_000;

export interface BundleResult {
  bytes: number;
  gzip_bytes: number;
  /** Bytes each package (or src/) contributes to the bundle, before gzip, largest first. */
  shares: { source: string; bytes: number; percent: number }[];
  floor_bytes: number;
  floor_gzip_bytes: number;
}

export interface StartupResult {
  cold_starts: number;
  tgk_ms: number[];
  floor_ms: number[];
  tgk_median_ms: number;
  floor_median_ms: number;
  ratio: number;
}

interface Metafile {
  outputs: Record<string, { bytes: number; inputs: Record<string, { bytesInOutput: number }> }>;
}

/** Runs `wrangler deploy --dry-run` for `config` and returns the bundle path and its metafile. */
function dryRun(config: string, outdir: string): { bundle: string; metafile: Metafile } {
  const metafilePath = join(outdir, "bundle-meta.json");
  const result = spawnSync(process.execPath, [wranglerBin(), "deploy", "--dry-run", "-c", config, "--outdir", outdir, "--metafile", metafilePath], {
    cwd: ROOT,
    encoding: "utf8",
    timeout: DRY_RUN_TIMEOUT_MS,
    env: { ...process.env, WRANGLER_SEND_METRICS: "false", NO_COLOR: "1" },
  });
  if (result.status !== 0) {
    throw new Error(`wrangler deploy --dry-run -c ${config} failed (status ${result.status}): ${(result.stderr || result.stdout).slice(-2000)}`);
  }
  const metafile = JSON.parse(readFileSync(metafilePath, "utf8")) as Metafile;
  const output = Object.keys(metafile.outputs).find((path) => path.endsWith(".js"));
  if (output === undefined) throw new Error(`the metafile of ${config} names no .js output`);
  return { bundle: join(outdir, output.split("/").at(-1) ?? "index.js"), metafile };
}

function packageOf(input: string): string {
  const match = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(input);
  if (match?.[1] !== undefined) return match[1];
  return input.startsWith("src/") ? `src/${input.split("/")[1]?.replace(/\.ts$/, "") ?? ""}` : input;
}

export function measureBundle(): BundleResult {
  const hubOut = mkdtempSync(join(tmpdir(), "tgk-bench-bundle-"));
  const floorOut = mkdtempSync(join(tmpdir(), "tgk-bench-floor-bundle-"));
  try {
    const hub = dryRun(HUB_CONFIG, hubOut);
    const floor = dryRun(FLOOR_CONFIG, floorOut);
    const code = readFileSync(hub.bundle);
    const floorCode = readFileSync(floor.bundle);

    const bySource = new Map<string, number>();
    for (const output of Object.values(hub.metafile.outputs)) {
      for (const [input, { bytesInOutput }] of Object.entries(output.inputs)) {
        bySource.set(packageOf(input), (bySource.get(packageOf(input)) ?? 0) + bytesInOutput);
      }
    }
    const shares = [...bySource.entries()]
      .map(([source, bytes]) => ({ source, bytes, percent: round((100 * bytes) / code.length, 1) }))
      .sort((a, b) => b.bytes - a.bytes);
    return { bytes: code.length, gzip_bytes: gzipSync(code).length, shares, floor_bytes: floorCode.length, floor_gzip_bytes: gzipSync(floorCode).length };
  } finally {
    rmSync(hubOut, { recursive: true, force: true });
    rmSync(floorOut, { recursive: true, force: true });
  }
}

/** Cold `wrangler dev` starts, floor and tgk taking turns, each with fresh storage. */
export async function measureStartup(): Promise<StartupResult> {
  const times = { tgk: [] as number[], floor: [] as number[] };
  for (let i = 0; i < COLD_STARTS_EACH; i += 1) {
    for (const [name, config] of [["floor", FLOOR_CONFIG], ["tgk", HUB_CONFIG]] as const) {
      const persistTo = mkdtempSync(join(tmpdir(), "tgk-bench-start-"));
      try {
        const server = await startDevServer({ config, port: await freePort(), persistTo });
        times[name].push(Math.round(server.startMs));
        await server.stop();
      } finally {
        rmSync(persistTo, { recursive: true, force: true });
      }
    }
  }
  const tgkMedian = percentile(times.tgk, 50);
  const floorMedian = percentile(times.floor, 50);
  return { cold_starts: COLD_STARTS_EACH, tgk_ms: times.tgk, floor_ms: times.floor, tgk_median_ms: tgkMedian, floor_median_ms: floorMedian, ratio: round(tgkMedian / floorMedian) };
}
