// `tgk hook simulate` and `tgk hook replay`: signed GitHub deliveries posted to a hub.
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { CliError, EXIT_FAILED, EXIT_OK, UsageError, booleanOption, integerOption, stringOption, type Command } from "../lib/command.ts";
import { registerSecret } from "../lib/output.ts";
import { buildEvent, defaultHeadSha, REVIEW_STATES, SIMULATE_ACTIONS, type ReviewState, type SimulateAction } from "../hook/payloads.ts";
import {
  SANDBOX_GITHUB_SECRET,
  SANDBOX_HUB_URL,
  describeResult,
  githubEndpoint,
  githubHeaders,
  headerValue,
  postDelivery,
  signBody,
  type DeliveryResult,
  type SavedDelivery,
} from "../hook/deliver.ts";

const DEFAULT_REPOSITORY = "octo-org/forum-polish";
const DEFAULT_HOOK_ID = "424242";
const MAX_BURST_COUNT = 1000;
const MAX_INTERVAL_MS = 600_000;

function isAction(value: string): value is SimulateAction {
  return (SIMULATE_ACTIONS as readonly string[]).includes(value);
}

function isReviewState(value: string): value is ReviewState {
  return (REVIEW_STATES as readonly string[]).includes(value);
}

/** Sends requests `intervalMs` apart without waiting for earlier responses, then waits for all of them. */
async function sendBurst<T>(count: number, intervalMs: number, send: (index: number) => Promise<T>): Promise<T[]> {
  const pending: Array<Promise<T>> = [];
  for (let index = 0; index < count; index += 1) {
    if (index > 0 && intervalMs > 0) await sleep(intervalMs);
    pending.push(send(index));
  }
  return Promise.all(pending);
}

function saveDelivery(folder: string, delivery: SavedDelivery): string {
  mkdirSync(folder, { recursive: true });
  const id = headerValue(delivery.headers, "x-github-delivery") ?? String(Date.now());
  const file = join(folder, `${id}.json`);
  writeFileSync(file, JSON.stringify(delivery, null, 2) + "\n");
  return file;
}

export const hookSimulate: Command = {
  path: "hook simulate",
  usage: "<stream> --pr <n> --action <action> [options]",
  summary: "Build a realistic GitHub delivery for a pull request, sign it and post it to the hub's /github/<stream>.",
  positionals: [1, 1],
  options: {
    pr: { type: "string", valueName: "<n>", description: "Pull request number." },
    action: { type: "string", valueName: "<action>", description: `One of ${SIMULATE_ACTIONS.join(", ")}.` },
    repo: { type: "string", valueName: "<owner/name>", description: "Repository the delivery comes from.", default: DEFAULT_REPOSITORY },
    branch: { type: "string", valueName: "<name>", description: "PR head branch (default: tgk/pr-<n>)." },
    sha: { type: "string", valueName: "<sha>", description: "Head SHA before the event (default: derived from repo and PR, so runs agree)." },
    "review-state": { type: "string", valueName: "<state>", description: `Review state for --action review: ${REVIEW_STATES.join(", ")}.`, default: "approved" },
    tag: { type: "string", valueName: "<tag>", description: "Tag name for --action release.", default: "v1.0.0" },
    url: { type: "string", valueName: "<hub url>", description: "Hub base URL.", default: SANDBOX_HUB_URL },
    secret: { type: "string", valueName: "<secret>", description: "Webhook secret to sign with (default: the sandbox secret, or env GITHUB_WEBHOOK_SECRET)." },
    "hook-id": { type: "string", valueName: "<id>", description: "X-GitHub-Hook-ID header value.", default: DEFAULT_HOOK_ID },
    count: { type: "string", valueName: "<n>", description: `Number of deliveries to send, 1 to ${MAX_BURST_COUNT}.`, default: "1" },
    interval: { type: "string", valueName: "<ms>", description: "Milliseconds between sends in a burst; a send does not wait for earlier responses.", default: "0" },
    save: { type: "string", valueName: "<dir>", description: "Also write each delivery to <dir>/<delivery id>.json for `tgk hook replay`." },
  },
  details: [
    "Events sent per action:",
    "  opened    pull_request opened",
    "  review    pull_request_review submitted (state from --review-state)",
    "  push      push to the PR's head branch with a new head SHA (printed, pass it as --sha later)",
    "  merged    pull_request closed with merged true",
    "  closed    pull_request closed with merged false",
    "  ci-pass   check_suite completed on the head SHA, conclusion success",
    "  ci-fail   check_suite completed on the head SHA, conclusion failure",
    "  release   release published",
    "",
    "Each delivery gets a fresh X-GitHub-Delivery GUID, so several simulate runs can target one hub at once.",
    "Example: tgk hook simulate forum-polish --pr 7 --action ci-fail --count 20 --interval 50",
  ].join("\n"),

  async run({ values, positionals, out }) {
    const path = "hook simulate";
    const stream = positionals[0] ?? "";
    const pullNumber = integerOption(values, "pr", path, { min: 1, max: 2_147_483_647 });
    if (pullNumber === undefined) throw new UsageError("missing option --pr", path);
    const action = stringOption(values, "action");
    if (action === undefined) throw new UsageError(`missing option --action (one of ${SIMULATE_ACTIONS.join(", ")})`, path);
    if (!isAction(action)) throw new UsageError(`invalid --action ${JSON.stringify(action)}: expected one of ${SIMULATE_ACTIONS.join(", ")}`, path);
    const reviewState = stringOption(values, "review-state") ?? "approved";
    if (!isReviewState(reviewState)) throw new UsageError(`invalid --review-state ${JSON.stringify(reviewState)}: expected one of ${REVIEW_STATES.join(", ")}`, path);
    const repository = stringOption(values, "repo") ?? DEFAULT_REPOSITORY;
    if (!/^[\w.-]+\/[\w.-]+$/.test(repository)) throw new UsageError(`invalid --repo ${JSON.stringify(repository)}: expected owner/name`, path);
    const sha = stringOption(values, "sha") ?? defaultHeadSha(repository, pullNumber);
    if (!/^[0-9a-f]{40}$/.test(sha)) throw new UsageError(`invalid --sha ${JSON.stringify(sha)}: expected 40 lower-case hex digits`, path);
    const count = integerOption(values, "count", path, { min: 1, max: MAX_BURST_COUNT, fallback: 1 }) ?? 1;
    const intervalMs = integerOption(values, "interval", path, { min: 0, max: MAX_INTERVAL_MS, fallback: 0 }) ?? 0;
    const secret = stringOption(values, "secret") ?? process.env.GITHUB_WEBHOOK_SECRET ?? SANDBOX_GITHUB_SECRET;
    registerSecret(secret);
    const url = githubEndpoint(stringOption(values, "url") ?? SANDBOX_HUB_URL, stream);
    const hookId = stringOption(values, "hook-id") ?? DEFAULT_HOOK_ID;
    const saveFolder = stringOption(values, "save");

    const target = {
      repository,
      pullNumber,
      branch: stringOption(values, "branch") ?? `tgk/pr-${pullNumber}`,
      headSha: sha,
      reviewState,
      tag: stringOption(values, "tag") ?? "v1.0.0",
    };

    const progress = out.progress(`Sending ${count} ${action} ${count === 1 ? "delivery" : "deliveries"} to ${url}`);
    let headSha = sha;
    let results: DeliveryResult[];
    try {
      results = await sendBurst(count, intervalMs, async () => {
        const built = buildEvent(action, target);
        headSha = built.headSha;
        const body = JSON.stringify(built.payload);
        const headers = githubHeaders(built.event, body, secret, hookId);
        if (saveFolder) saveDelivery(saveFolder, { headers, body, stream });
        return postDelivery(url, headers, body);
      });
    } catch (error) {
      progress.fail();
      throw error;
    }

    const failed = results.filter((result) => !result.ok);
    if (failed.length > 0) progress.fail(`${failed.length} of ${results.length} deliveries rejected by ${url}`);
    else progress.succeed(`Sent ${results.length} ${action} ${results.length === 1 ? "delivery" : "deliveries"} to ${url}`);

    for (const result of results) out.line(describeResult(result));
    if (action === "push") out.line(`New head SHA: ${headSha} (pass --sha ${headSha} to later ci-pass or ci-fail runs)`);
    out.result({ ok: failed.length === 0, url, action, repository, pr: pullNumber, head_sha: headSha, deliveries: results });

    if (failed.length > 0) {
      const first = failed[0];
      if (first?.status === 401) out.note("The hub rejected the signature: pass --secret with the hub's GITHUB_WEBHOOK_SECRET.");
      return EXIT_FAILED;
    }
    return EXIT_OK;
  },
};

/** Reads one saved delivery file, validating its shape. */
function readSavedDelivery(file: string): SavedDelivery {
  let value: unknown;
  try {
    value = JSON.parse(readFileSync(file, "utf8"));
  } catch (error) {
    throw new CliError(`could not read delivery ${file}: ${error instanceof Error ? error.message : String(error)}`, {
      hint: 'A delivery file is JSON: { "headers": { ... }, "body": "<raw body string>" }.',
    });
  }
  const candidate = value as Partial<SavedDelivery> | null;
  const headersValid =
    typeof candidate?.headers === "object" &&
    candidate.headers !== null &&
    Object.values(candidate.headers).every((header) => typeof header === "string");
  if (!candidate || !headersValid || typeof candidate.body !== "string") {
    throw new CliError(`invalid delivery ${file}: expected "headers" (an object of strings) and "body" (the raw body as a string)`);
  }
  if (!headerValue(candidate.headers as Record<string, string>, "x-github-event")) {
    throw new CliError(`invalid delivery ${file}: the X-GitHub-Event header is missing`);
  }
  return { headers: candidate.headers as Record<string, string>, body: candidate.body, ...(typeof candidate.stream === "string" ? { stream: candidate.stream } : {}) };
}

/** Lists the delivery files behind a path: the file itself, or every *.json in a folder in name order. */
function deliveryFiles(path: string): string[] {
  let stats;
  try {
    stats = statSync(path);
  } catch {
    throw new CliError(`delivery path not found: ${path}`, { exitCode: 2 });
  }
  if (!stats.isDirectory()) return [path];
  const files = readdirSync(path).filter((name) => name.endsWith(".json")).sort().map((name) => join(path, name));
  if (files.length === 0) throw new CliError(`no .json delivery files in ${path}`);
  return files;
}

export const hookReplay: Command = {
  path: "hook replay",
  usage: "<file|dir> [options]",
  summary: "Re-send saved GitHub deliveries to the hub, byte for byte; re-sign only when --secret is given.",
  positionals: [1, 1],
  options: {
    url: { type: "string", valueName: "<hub url>", description: "Hub base URL.", default: SANDBOX_HUB_URL },
    stream: { type: "string", valueName: "<stream>", description: "Post to /github/<stream> (default: the stream saved in the file, else /github)." },
    secret: { type: "string", valueName: "<secret>", description: "Re-sign each body with this secret; without it the saved X-Hub-Signature-256 is sent unchanged." },
    "new-delivery-id": { type: "boolean", description: "Give each delivery a fresh X-GitHub-Delivery GUID instead of reusing the saved one." },
    interval: { type: "string", valueName: "<ms>", description: "Milliseconds to wait between deliveries.", default: "0" },
  },
  details: 'A delivery file is JSON: { "headers": { "X-GitHub-Event": ..., ... }, "body": "<raw body>" }, as `hook simulate --save` writes. A folder is replayed in file name order, one delivery at a time. Reusing the saved delivery id is what a GitHub redelivery does, so the hub reports it as a duplicate.',

  async run({ values, positionals, out }) {
    const path = "hook replay";
    const files = deliveryFiles(positionals[0] ?? "");
    const deliveries = files.map(readSavedDelivery);
    const secret = stringOption(values, "secret");
    registerSecret(secret);
    const intervalMs = integerOption(values, "interval", path, { min: 0, max: MAX_INTERVAL_MS, fallback: 0 }) ?? 0;
    const hubUrl = stringOption(values, "url") ?? SANDBOX_HUB_URL;
    const renewId = booleanOption(values, "new-delivery-id");

    const progress = out.progress(`Replaying ${deliveries.length} ${deliveries.length === 1 ? "delivery" : "deliveries"}`);
    const results: DeliveryResult[] = [];
    try {
      for (const [index, delivery] of deliveries.entries()) {
        if (index > 0 && intervalMs > 0) await sleep(intervalMs);
        progress.update(`Replaying delivery ${index + 1} of ${deliveries.length}`);
        const headers = { ...delivery.headers };
        if (secret !== undefined) setHeader(headers, "x-hub-signature-256", signBody(delivery.body, secret));
        if (renewId) setHeader(headers, "x-github-delivery", crypto.randomUUID());
        const url = githubEndpoint(hubUrl, stringOption(values, "stream") ?? delivery.stream);
        results.push(await postDelivery(url, headers, delivery.body));
      }
    } catch (error) {
      progress.fail();
      throw error;
    }

    const failed = results.filter((result) => !result.ok);
    if (failed.length > 0) progress.fail(`${failed.length} of ${results.length} deliveries rejected`);
    else progress.succeed(`Replayed ${results.length} ${results.length === 1 ? "delivery" : "deliveries"}`);
    for (const result of results) out.line(describeResult(result));
    out.result({ ok: failed.length === 0, files, deliveries: results });
    if (failed.some((result) => result.status === 401) && secret === undefined) {
      out.note("The hub rejected a saved signature: pass --secret to re-sign with the hub's GITHUB_WEBHOOK_SECRET.");
    }
    return failed.length === 0 ? EXIT_OK : EXIT_FAILED;
  },
};

/** Replaces a header whatever its saved case, so no duplicate with other case is sent. */
function setHeader(headers: Record<string, string>, name: string, value: string): void {
  for (const key of Object.keys(headers)) if (key.toLowerCase() === name) delete headers[key];
  headers[name] = value;
}
