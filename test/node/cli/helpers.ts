// Test helpers for the tgk CLI: run it as a child process, a signature-checking stand-in for the hub,
// and fake wrangler/npm executables that record their argv.
import { spawn } from "node:child_process";
import { createHmac, timingSafeEqual } from "node:crypto";
import { chmodSync, mkdtempSync, readFileSync, writeFileSync, existsSync } from "node:fs";
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import { tmpdir } from "node:os";
import { delimiter, join, resolve } from "node:path";

export const REPO_ROOT = resolve(import.meta.dirname, "..", "..", "..");
const CLI = join(REPO_ROOT, "cli", "tgk.ts");

export interface CliRun {
  exitCode: number;
  stdout: string;
  stderr: string;
}

/** Runs `tgk <args>` with the Node running the tests (22, from the node devDependency). */
export function runTgk(args: string[], options: { cwd?: string; env?: Record<string, string | undefined>; stdin?: string } = {}): Promise<CliRun> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], {
      cwd: options.cwd ?? REPO_ROOT,
      env: { ...process.env, GITHUB_WEBHOOK_SECRET: undefined, TELEGRAM_BOT_TOKEN: undefined, TELEGRAM_WEBHOOK_SECRET: undefined, ...options.env },
      stdio: ["pipe", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
    child.on("error", reject);
    child.on("close", (code) => resolvePromise({ exitCode: code ?? -1, stdout, stderr }));
    child.stdin.end(options.stdin ?? "");
  });
}

export function tempDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), `tgk-${prefix}-`));
}

export interface ReceivedDelivery {
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}

export interface Receiver {
  url: string;
  deliveries: ReceivedDelivery[];
  close(): Promise<void>;
}

/**
 * Starts a stand-in for the hub's GitHub endpoint on 127.0.0.1: it checks X-Hub-Signature-256 and
 * responds with the hub's documented shapes (200 handled or duplicate, 401 on a bad signature).
 */
export async function startReceiver(secret: string): Promise<Receiver> {
  const deliveries: ReceivedDelivery[] = [];
  const seen = new Set<string>();
  const server: Server = createServer((request, response) => {
    let body = "";
    request.setEncoding("utf8");
    request.on("data", (chunk: string) => (body += chunk));
    request.on("end", () => {
      const expected = Buffer.from(`sha256=${createHmac("sha256", secret).update(body).digest("hex")}`);
      const received = Buffer.from(String(request.headers["x-hub-signature-256"] ?? ""));
      const reply = (status: number, value: unknown): void => {
        response.writeHead(status, { "content-type": "application/json" });
        response.end(JSON.stringify(value));
      };
      if (received.length !== expected.length || !timingSafeEqual(received, expected)) {
        reply(401, { ok: false, error: "invalid signature" });
        return;
      }
      deliveries.push({ path: request.url ?? "", headers: request.headers, body });
      const delivery = String(request.headers["x-github-delivery"]);
      const duplicate = seen.has(delivery);
      seen.add(delivery);
      const stream = (request.url ?? "").split("/")[2] ?? "";
      reply(200, { ok: true, delivery, event: request.headers["x-github-event"], stream, duplicate });
    });
  });
  await new Promise<void>((done) => server.listen(0, "127.0.0.1", done));
  const address = server.address();
  if (typeof address !== "object" || address === null) throw new Error("receiver has no address");
  return {
    url: `http://127.0.0.1:${address.port}`,
    deliveries,
    close: () => new Promise((done) => server.close(() => done())),
  };
}

export interface FakeResponse {
  stdout?: string;
  stderr?: string;
  exitCode?: number;
}

export interface FakeTools {
  /** Folder to put first on PATH. */
  bin: string;
  /** PATH value with the fakes first. */
  path: string;
  /** Every recorded call, in order. */
  calls(): Array<{ tool: string; argv: string[]; cwd: string }>;
}

/**
 * Writes fake `wrangler` and `npm` executables that append { tool, argv, cwd } as one JSON line to a
 * log, then print the response registered for the longest matching argv prefix (default: exit 0).
 */
export function fakeTools(responses: Record<string, FakeResponse> = {}): FakeTools {
  const bin = tempDir("fake-bin");
  const log = join(bin, "calls.jsonl");
  const table = join(bin, "responses.json");
  writeFileSync(table, JSON.stringify(responses));
  for (const tool of ["wrangler", "npm"]) {
    const file = join(bin, tool);
    writeFileSync(
      file,
      [
        "#!/usr/bin/env node",
        'const fs = require("node:fs");',
        "const argv = process.argv.slice(2);",
        `fs.appendFileSync(${JSON.stringify(log)}, JSON.stringify({ tool: ${JSON.stringify(tool)}, argv, cwd: process.cwd() }) + "\\n");`,
        `const table = JSON.parse(fs.readFileSync(${JSON.stringify(table)}, "utf8"));`,
        "let response = {};",
        "for (let length = argv.length; length >= 0; length -= 1) {",
        `  const key = [${JSON.stringify(tool)}, ...argv.slice(0, length)].join(" ");`,
        "  if (table[key]) { response = table[key]; break; }",
        "}",
        'if (response.stdout) process.stdout.write(response.stdout);',
        'if (response.stderr) process.stderr.write(response.stderr);',
        "process.exitCode = response.exitCode ?? 0;",
        "",
      ].join("\n"),
    );
    chmodSync(file, 0o755);
  }
  return {
    bin,
    path: [bin, process.env.PATH ?? ""].join(delimiter),
    calls: () =>
      existsSync(log)
        ? readFileSync(log, "utf8").trim().split("\n").filter(Boolean).map((line) => JSON.parse(line) as { tool: string; argv: string[]; cwd: string })
        : [],
  };
}

/** Parses the single JSON document a `--json` run printed on stdout. */
export function parseJson(run: CliRun): Record<string, unknown> {
  try {
    return JSON.parse(run.stdout) as Record<string, unknown>;
  } catch {
    throw new Error(`stdout is not one JSON document:\n${run.stdout}\nstderr:\n${run.stderr}`);
  }
}

/**
 * Creates a throwaway project: a copy of the repository's wrangler.jsonc (comments included) in a
 * temporary folder with its own `git init` and one commit. Tests never touch the real checkout.
 */
export async function tempProject(options: { wranglerText?: string } = {}): Promise<{ root: string; git(args: string[]): Promise<string> }> {
  const root = tempDir("project");
  writeFileSync(join(root, "wrangler.jsonc"), options.wranglerText ?? readFileSync(join(REPO_ROOT, "wrangler.jsonc"), "utf8"));
  writeFileSync(join(root, "README.md"), "temporary tgk project for CLI tests\n");
  const git = (args: string[]): Promise<string> =>
    new Promise((resolvePromise, reject) => {
      const child = spawn("git", ["-c", "user.name=tgk test", "-c", "user.email=test@example.invalid", "-c", "commit.gpgsign=false", ...args], { cwd: root });
      let stdout = "";
      let stderr = "";
      child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
      child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
      child.on("close", (code) => (code === 0 ? resolvePromise(stdout.trim()) : reject(new Error(`git ${args.join(" ")} failed: ${stderr}`))));
    });
  await git(["init", "--quiet", "--initial-branch", "main"]);
  await git(["add", "."]);
  await git(["commit", "--quiet", "-m", "Start"]);
  return { root, git };
}

/** Environment for CLI runs in a temp project: fakes first on PATH and a git identity for commits. */
export function projectEnv(tools: FakeTools): Record<string, string> {
  return {
    PATH: tools.path,
    GIT_AUTHOR_NAME: "tgk test",
    GIT_AUTHOR_EMAIL: "test@example.invalid",
    GIT_COMMITTER_NAME: "tgk test",
    GIT_COMMITTER_EMAIL: "test@example.invalid",
  };
}
