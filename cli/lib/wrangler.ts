// Calls to wrangler and parsing of its JSON output. Every call goes through runWrangler, so the
// commands can be printed for --dry-run and recorded by a fake wrangler in tests.
import { CliError } from "./command.ts";
import type { Output } from "./output.ts";
import { formatCommand, runTool, runToolOrThrow, type RunResult } from "./process.ts";
import { REQUIRED_SECRETS, envArgs } from "./project.ts";

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i;

/** Runs wrangler with captured output and throws with its last lines when it fails. */
export function runWrangler(cwd: string, args: string[], hint?: string): Promise<RunResult> {
  return runToolOrThrow("wrangler", args, { cwd, ...(hint ? { hint } : {}) });
}

/** Runs wrangler attached to the terminal, so its own prompts and build output reach the user. */
export async function runWranglerInteractive(cwd: string, args: string[], hint?: string): Promise<void> {
  const result = await runTool("wrangler", args, { cwd, inherit: true });
  if (result.exitCode !== 0) {
    throw new CliError(`\`${formatCommand("wrangler", args)}\` failed with exit code ${result.exitCode}`, hint ? { hint } : {});
  }
}

function parseJsonOutput(args: string[], text: string): unknown {
  // wrangler may print a banner before the JSON document, so parse from the first bracket.
  const start = text.search(/[[{]/);
  try {
    return JSON.parse(start >= 0 ? text.slice(start) : text);
  } catch {
    throw new CliError(`could not parse the JSON output of \`${formatCommand("wrangler", args)}\``, {
      hint: "Run the command by hand to see what wrangler printed.",
    });
  }
}

/** Lists the names of missing secrets with `wrangler secret list --format json`. */
export async function missingSecrets(cwd: string, stage: string | undefined): Promise<string[]> {
  const args = ["secret", "list", ...envArgs(stage), "--format", "json"];
  const result = await runWrangler(cwd, args, "Check that you are logged in (`npx wrangler login`) and that the Worker was deployed once.");
  const listed = parseJsonOutput(args, result.stdout);
  const names = new Set(
    Array.isArray(listed) ? listed.map((entry: unknown) => (typeof entry === "object" && entry !== null ? (entry as { name?: unknown }).name : undefined)) : [],
  );
  return REQUIRED_SECRETS.filter((name) => !names.has(name));
}

/** Formats the `wrangler secret put` command line that sets one secret. */
export function secretPutCommand(name: string, stage: string | undefined): string {
  return formatCommand("npx", ["wrangler", "secret", "put", name, ...envArgs(stage)]);
}

export interface ActiveDeployment {
  versions: Array<{ version_id: string; percentage: number }>;
}

/**
 * Reads the versions serving a stage's traffic with `wrangler deployments status --json`, which in
 * wrangler 4.157 prints the deployment as `{ versions: [{ version_id, percentage }], ... }`.
 */
export async function activeDeployment(cwd: string, stage: string | undefined): Promise<ActiveDeployment> {
  const args = ["deployments", "status", ...envArgs(stage), "--json"];
  const result = await runWrangler(cwd, args);
  const value = parseJsonOutput(args, result.stdout) as { versions?: unknown };
  const versions = Array.isArray(value.versions) ? value.versions : [];
  const parsed = versions.flatMap((entry: unknown) => {
    const item = entry as { version_id?: unknown; percentage?: unknown };
    return typeof item.version_id === "string" ? [{ version_id: item.version_id, percentage: Number(item.percentage ?? 100) }] : [];
  });
  if (parsed.length === 0) throw new CliError(`\`${formatCommand("wrangler", args)}\` listed no versions`, { hint: "Deploy the stage first with `tgk deploy`." });
  return { versions: parsed };
}

/**
 * Reads the tag of a version (`workers/tag` in `wrangler versions view --json` annotations), which
 * `tgk deploy` sets to the git commit it deployed.
 */
export async function versionTag(cwd: string, stage: string | undefined, versionId: string): Promise<string | undefined> {
  const args = ["versions", "view", versionId, ...envArgs(stage), "--json"];
  const result = await runWrangler(cwd, args);
  const value = parseJsonOutput(args, result.stdout) as { annotations?: Record<string, unknown> };
  const tag = value.annotations?.["workers/tag"];
  return typeof tag === "string" && tag !== "" ? tag : undefined;
}

/** Extracts the version id from the `Worker Version ID: <id>` line `wrangler versions upload` prints. */
export function uploadedVersionId(output: string): string {
  const labelled = /Version ID:\s*([0-9a-f-]{36})/i.exec(output);
  const id = labelled?.[1] ?? UUID.exec(output)?.[0];
  if (!id) throw new CliError("`wrangler versions upload` printed no version id", { hint: "Run `npx wrangler versions list` to find the uploaded version." });
  return id;
}

/** Records and optionally runs a planned wrangler call, for commands with --dry-run. */
export class WranglerPlan {
  readonly commands: string[][] = [];
  readonly dryRun: boolean;
  private readonly out: Output;
  private readonly cwd: string;

  constructor(cwd: string, out: Output, dryRun: boolean) {
    this.cwd = cwd;
    this.out = out;
    this.dryRun = dryRun;
  }

  /** Runs (or under --dry-run only prints) a wrangler call that changes the deployment. */
  async change(args: string[], label: string, options: { hint?: string; cwd?: string } = {}): Promise<RunResult | undefined> {
    this.commands.push(["wrangler", ...args]);
    if (this.dryRun) {
      this.out.line(`would run: ${formatCommand("wrangler", args)}`);
      return undefined;
    }
    const progress = this.out.progress(label);
    try {
      const result = await runWrangler(options.cwd ?? this.cwd, args, options.hint);
      progress.succeed();
      return result;
    } catch (error) {
      progress.fail();
      throw error;
    }
  }
}
