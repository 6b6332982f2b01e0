// The command model shared by every tgk command: declared options, generated --help,
// argument parsing with node:util parseArgs, and the exit status contract.
import { parseArgs } from "node:util";
import { Output } from "./output.ts";

/** Exit status: 0 success, 1 the operation failed, 2 the command line was invalid. */
export const EXIT_OK = 0;
export const EXIT_FAILED = 1;
export const EXIT_USAGE = 2;

/** An expected failure. The message names what failed, and the hint names the next step. */
export class CliError extends Error {
  readonly hint: string | undefined;
  readonly exitCode: number;

  constructor(message: string, options: { hint?: string; exitCode?: number } = {}) {
    super(message);
    this.name = "CliError";
    this.hint = options.hint;
    this.exitCode = options.exitCode ?? EXIT_FAILED;
  }
}

export class UsageError extends CliError {
  constructor(message: string, commandPath: string) {
    super(message, { hint: `Run \`tgk ${commandPath} --help\` for usage.`, exitCode: EXIT_USAGE });
    this.name = "UsageError";
  }
}

export interface OptionSpec {
  type: "string" | "boolean";
  short?: string;
  description: string;
  /** Placeholder shown in help for string options, such as `<ms>`. */
  valueName?: string;
  default?: string | boolean;
  multiple?: boolean;
}

export type OptionValues = Record<string, string | boolean | Array<string | boolean> | undefined>;

export interface CommandContext {
  values: OptionValues;
  positionals: string[];
  out: Output;
  cwd: string;
}

export interface Command {
  /** Words after `tgk`, such as "hook simulate". */
  path: string;
  summary: string;
  /** Arguments after the command path, such as "<stream> --pr <n> --action <action>". */
  usage: string;
  /** Paragraph printed after the options: details, examples, what is not covered. */
  details?: string;
  options: Record<string, OptionSpec>;
  /** Positional arguments as [min, max]. */
  positionals: [number, number];
  run(context: CommandContext): Promise<number>;
}

const GLOBAL_OPTIONS: Record<string, OptionSpec> = {
  json: { type: "boolean", description: "Print one JSON document on stdout instead of text lines." },
  help: { type: "boolean", short: "h", description: "Show this help." },
};

/** Renders the help text of one command from its declared options. */
export function renderHelp(command: Command): string {
  const rows: Array<[string, string]> = [];
  for (const [name, spec] of Object.entries({ ...command.options, ...GLOBAL_OPTIONS })) {
    const short = spec.short ? `-${spec.short}, ` : "    ";
    const value = spec.type === "string" ? ` ${spec.valueName ?? "<value>"}` : "";
    const fallback = spec.default !== undefined && spec.default !== false ? ` (default: ${String(spec.default)})` : "";
    rows.push([`${short}--${name}${value}`, spec.description + fallback]);
  }
  const width = Math.max(...rows.map(([flag]) => flag.length));
  const lines = [
    `Usage: tgk ${command.path} ${command.usage}`.trimEnd(),
    "",
    command.summary,
    "",
    "Options:",
    ...rows.map(([flag, text]) => `  ${flag.padEnd(width)}  ${text}`),
  ];
  if (command.details) lines.push("", command.details);
  lines.push("", "Exit status: 0 on success, 1 when the operation failed, 2 when the command line is invalid.");
  return lines.join("\n") + "\n";
}

/** Parses argv for one command, prints help on --help, runs it and returns the exit status. */
export async function runCommand(command: Command, argv: string[], cwd: string): Promise<number> {
  const wantsJson = argv.includes("--json");
  const out = new Output({ json: wantsJson });

  try {
    const options = { ...command.options, ...GLOBAL_OPTIONS };
    let parsed: ReturnType<typeof parseArgs>;
    try {
      parsed = parseArgs({ args: argv, options, allowPositionals: true, strict: true });
    } catch (error) {
      throw new UsageError(error instanceof Error ? error.message : String(error), command.path);
    }

    if (parsed.values.help) {
      process.stdout.write(renderHelp(command));
      return EXIT_OK;
    }

    const [min, max] = command.positionals;
    if (parsed.positionals.length < min) {
      throw new UsageError(`missing argument: expected \`tgk ${command.path} ${command.usage}\``, command.path);
    }
    if (parsed.positionals.length > max) {
      const extra = parsed.positionals.slice(max).join(" ");
      throw new UsageError(`unexpected argument: ${extra}`, command.path);
    }

    return await command.run({ values: parsed.values, positionals: parsed.positionals, out, cwd });
  } catch (error) {
    return reportError(error, out);
  }
}

/** Prints an error on stderr (and as JSON under --json) and returns its exit status. */
export function reportError(error: unknown, out: Output): number {
  if (error instanceof CliError) {
    out.note(`error: ${error.message}`);
    if (error.hint) out.note(error.hint);
    out.result({ ok: false, error: error.message, hint: error.hint ?? null });
    return error.exitCode;
  }
  const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
  out.note(`error: unexpected failure: ${message}`);
  out.result({ ok: false, error: error instanceof Error ? error.message : String(error), hint: null });
  return EXIT_FAILED;
}

/** Returns the most specific message of a fetch failure: undici puts the socket error in `cause`. */
export function errorCause(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  if (error.cause instanceof Error) return error.cause.message;
  return error.message;
}

/** Reads a string option; undefined when absent. */
export function stringOption(values: OptionValues, name: string): string | undefined {
  const value = values[name];
  return typeof value === "string" ? value : undefined;
}

/** Reads a string option that must be present. */
export function requiredOption(values: OptionValues, name: string, commandPath: string): string {
  const value = stringOption(values, name);
  if (value === undefined || value === "") throw new UsageError(`missing option --${name}`, commandPath);
  return value;
}

/** Reads an integer option within [min, max]; the message names the option and the accepted range. */
export function integerOption(
  values: OptionValues,
  name: string,
  commandPath: string,
  range: { min: number; max: number; fallback?: number },
): number | undefined {
  const raw = stringOption(values, name);
  if (raw === undefined) return range.fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < range.min || value > range.max) {
    throw new UsageError(`invalid --${name} ${JSON.stringify(raw)}: expected an integer from ${range.min} to ${range.max}`, commandPath);
  }
  return value;
}

export function booleanOption(values: OptionValues, name: string): boolean {
  return values[name] === true;
}
