// Child processes: wrangler, npm and git. Tools are looked up on PATH first, then in the project's
// and this package's node_modules/.bin, so a wrapper placed first on PATH (as the tests do) wins.
import { spawn } from "node:child_process";
import { delimiter, dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { CliError } from "./command.ts";

const CLI_PACKAGE_ROOT = join(dirname(fileURLToPath(import.meta.url)), "..", "..");

export interface RunResult {
  exitCode: number;
  stdout: string;
  stderr: string;
  /** True when RunOptions.timeoutMs stopped the process. */
  timedOut: boolean;
}

export interface RunOptions {
  cwd: string;
  /** Inherit the terminal (for prompts and long builds) instead of capturing output. */
  inherit?: boolean;
  /** Called with each chunk of stdout while capturing, for streaming commands such as `wrangler tail`. */
  onStdout?: (chunk: string) => void;
  /** Stops the process after this many milliseconds. */
  timeoutMs?: number;
}

/** Returns PATH with the local node_modules/.bin folders appended, never prepended. */
export function toolPath(projectRoot: string): string {
  const extra = [join(projectRoot, "node_modules", ".bin"), join(CLI_PACKAGE_ROOT, "node_modules", ".bin")];
  return [process.env.PATH ?? "", ...extra].filter((part) => part !== "").join(delimiter);
}

/** Formats a command line for display, quoting arguments that contain spaces. */
export function formatCommand(command: string, args: string[]): string {
  return [command, ...args].map((part) => (/^[\w@%+=:,./-]+$/.test(part) ? part : JSON.stringify(part))).join(" ");
}

/** Runs a tool and resolves with its exit code and captured output; rejects only when it cannot start. */
export function runTool(command: string, args: string[], options: RunOptions): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: { ...process.env, PATH: toolPath(options.cwd) },
      stdio: options.inherit ? "inherit" : ["ignore", "pipe", "pipe"],
    });

    let stdout = "";
    let stderr = "";
    child.stdout?.setEncoding("utf8");
    child.stderr?.setEncoding("utf8");
    child.stdout?.on("data", (chunk: string) => {
      stdout += chunk;
      options.onStdout?.(chunk);
    });
    child.stderr?.on("data", (chunk: string) => {
      stderr += chunk;
    });

    let timedOut = false;
    const timer =
      options.timeoutMs === undefined
        ? undefined
        : setTimeout(() => {
            timedOut = true;
            child.kill("SIGINT");
          }, options.timeoutMs);

    child.on("error", (error: NodeJS.ErrnoException) => {
      if (timer) clearTimeout(timer);
      const hint =
        error.code === "ENOENT"
          ? `Install it (\`npm install\` provides wrangler) or put it on PATH.`
          : undefined;
      reject(new CliError(`could not start ${command}: ${error.message}`, hint ? { hint } : {}));
    });
    child.on("close", (code, signal) => {
      if (timer) clearTimeout(timer);
      resolve({ exitCode: code ?? (signal ? 128 : 1), stdout, stderr, timedOut });
    });
  });
}

/** Runs a tool and throws a CliError naming the command and its last output lines when it fails. */
export async function runToolOrThrow(command: string, args: string[], options: RunOptions & { hint?: string }): Promise<RunResult> {
  const result = await runTool(command, args, options);
  if (result.exitCode !== 0) {
    const tail = (result.stderr || result.stdout).trim().split("\n").slice(-5).join("\n");
    const detail = tail ? `:\n${tail}` : "";
    throw new CliError(`\`${formatCommand(command, args)}\` failed with exit code ${result.exitCode}${detail}`, options.hint ? { hint: options.hint } : {});
  }
  return result;
}
