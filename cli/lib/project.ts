// The project tgk operates on: the folder holding wrangler.jsonc, its stages (wrangler environments)
// and their vars. Edits go through jsonc-parser so comments and layout survive.
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { applyEdits, modify, parse, printParseErrorCode, type ParseError } from "jsonc-parser";
import { CliError } from "./command.ts";

export const WRANGLER_CONFIG = "wrangler.jsonc";

/** Secrets the hub reads; a stage cannot run without all three. */
export const REQUIRED_SECRETS = ["GITHUB_WEBHOOK_SECRET", "TELEGRAM_BOT_TOKEN", "TELEGRAM_WEBHOOK_SECRET"] as const;

export interface WranglerConfig {
  name?: string;
  vars?: Record<string, unknown>;
  migrations?: Array<{ tag: string }>;
  durable_objects?: { bindings?: Array<{ name: string; class_name: string }> };
  env?: Record<string, WranglerEnvironment>;
  [key: string]: unknown;
}

export interface WranglerEnvironment {
  name?: string;
  vars?: Record<string, unknown>;
  migrations?: Array<{ tag: string }>;
  durable_objects?: { bindings?: Array<{ name: string; class_name: string }> };
  [key: string]: unknown;
}

/** Finds the nearest folder at or above `start` that contains wrangler.jsonc. */
export function findProjectRoot(start: string): string {
  let current = start;
  for (;;) {
    if (existsSync(join(current, WRANGLER_CONFIG))) return current;
    const parent = dirname(current);
    if (parent === current) {
      throw new CliError(`${WRANGLER_CONFIG} not found in ${start} or any parent folder`, {
        hint: "Run tgk inside the tgk repository.",
      });
    }
    current = parent;
  }
}

/** Parses JSONC text; the error names the file, the offset and the parser's reason. */
export function parseWranglerText(text: string, source: string): WranglerConfig {
  const errors: ParseError[] = [];
  const value: unknown = parse(text, errors, { allowTrailingComma: true });
  const first = errors[0];
  if (first) {
    throw new CliError(`${source} is not valid JSONC: ${printParseErrorCode(first.error)} at offset ${first.offset}`, {
      hint: `Fix ${source} and run the command again.`,
    });
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new CliError(`${source} must contain a JSON object`);
  }
  return value as WranglerConfig;
}

export function readWranglerConfig(root: string): { text: string; config: WranglerConfig } {
  const text = readFileSync(join(root, WRANGLER_CONFIG), "utf8");
  return { text, config: parseWranglerText(text, WRANGLER_CONFIG) };
}

/** Applies one jsonc-parser `modify` edit to wrangler.jsonc, keeping its comments. */
export function editWranglerConfig(root: string, path: Array<string | number>, value: unknown): void {
  const file = join(root, WRANGLER_CONFIG);
  const text = readFileSync(file, "utf8");
  const edits = modify(text, path, value, { formattingOptions: { insertSpaces: true, tabSize: 2, eol: "\n" } });
  writeFileSync(file, applyEdits(text, edits));
}

/** Writes back wrangler.jsonc text saved before an edit, undoing the edit exactly. */
export function restoreWranglerConfig(root: string, text: string): void {
  writeFileSync(join(root, WRANGLER_CONFIG), text);
}

/** Validates a stage name; it becomes a git branch suffix, an env key and part of a Worker name. */
export function assertStageName(name: string): void {
  if (!/^[a-z][a-z0-9-]{0,40}$/.test(name) || name.endsWith("-")) {
    throw new CliError(`invalid stage name ${JSON.stringify(name)}: use lower-case letters, digits and hyphens, starting with a letter (at most 41 characters)`, {
      exitCode: 2,
    });
  }
}

/** Returns the environment block for a stage, or the top-level config when stage is undefined. */
export function stageEnvironment(config: WranglerConfig, stage: string | undefined): WranglerEnvironment {
  if (stage === undefined) return config;
  const environment = config.env?.[stage];
  if (!environment) {
    const known = Object.keys(config.env ?? {});
    throw new CliError(`stage ${JSON.stringify(stage)} not found in ${WRANGLER_CONFIG} (env.${stage} is missing)`, {
      hint: known.length > 0 ? `Known stages: ${known.join(", ")}. Create one with \`tgk stage create ${stage}\`.` : `Create it with \`tgk stage create ${stage}\`.`,
    });
  }
  return environment;
}

/** Vars a stage runs with: wrangler does not inherit `vars` into environments. */
export function stageVars(config: WranglerConfig, stage: string | undefined): Record<string, unknown> {
  return stageEnvironment(config, stage).vars ?? {};
}

/** Migration tags a stage deploys: environments inherit the top-level `migrations` unless they set their own. */
export function stageMigrationTags(config: WranglerConfig, stage: string | undefined): string[] {
  const migrations = stageEnvironment(config, stage).migrations ?? config.migrations ?? [];
  return migrations.map((migration) => migration.tag);
}

/** Returns the `--env` arguments for wrangler, empty for the top-level Worker. */
export function envArgs(stage: string | undefined): string[] {
  return stage === undefined ? [] : ["--env", stage];
}

/** Human label for a stage in messages. */
export function stageLabel(stage: string | undefined): string {
  return stage === undefined ? "the top-level Worker" : `stage ${stage}`;
}
