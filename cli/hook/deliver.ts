// Signing and posting GitHub deliveries to the hub, shared by `hook simulate` and `hook replay`.
import { createHmac, randomBytes, randomUUID } from "node:crypto";
import { CliError, errorCause } from "../lib/command.ts";

/** Local sandbox defaults, the values `npm start` uses. */
export const SANDBOX_HUB_URL = "http://127.0.0.1:8787";
export const SANDBOX_GITHUB_SECRET = "sandbox-github-secret";

/** Per-request limit; GitHub itself gives up after 10 seconds. */
export const DELIVERY_TIMEOUT_MS = 10_000;

/** A delivery as `hook replay` reads and `hook simulate --save` writes it. */
export interface SavedDelivery {
  headers: Record<string, string>;
  /** The raw request body, byte for byte as signed. */
  body: string;
  /** Stream the delivery was posted to, when known. */
  stream?: string;
}

export interface DeliveryResult {
  delivery: string;
  event: string;
  status: number;
  ok: boolean;
  /** The hub's JSON response body, or its raw text when it is not JSON. */
  response: unknown;
  duration_ms: number;
}

/** Returns `sha256=<hex HMAC-SHA256 of body>`, the X-Hub-Signature-256 value. */
export function signBody(body: string, secret: string): string {
  return `sha256=${createHmac("sha256", secret).update(body, "utf8").digest("hex")}`;
}

/** Builds the headers GitHub sends with a delivery. */
export function githubHeaders(event: string, body: string, secret: string, hookId: string): Record<string, string> {
  return {
    "content-type": "application/json",
    "user-agent": `GitHub-Hookshot/${randomBytes(4).toString("hex").slice(0, 7)}`,
    "x-github-event": event,
    "x-github-delivery": randomUUID(),
    "x-github-hook-id": hookId,
    "x-hub-signature-256": signBody(body, secret),
  };
}

/** Builds `<hub>/github/<stream>`, or `<hub>/github` when the hub routes by repository. */
export function githubEndpoint(hubUrl: string, stream: string | undefined): string {
  let base: URL;
  try {
    base = new URL(hubUrl);
  } catch {
    throw new CliError(`invalid hub URL ${JSON.stringify(hubUrl)}`, { hint: "Pass an absolute URL such as http://127.0.0.1:8787.", exitCode: 2 });
  }
  const path = base.pathname.replace(/\/+$/, "");
  base.pathname = stream === undefined ? `${path}/github` : `${path}/github/${encodeURIComponent(stream)}`;
  return base.toString();
}

/** Looks up a header regardless of the case the saved file used. */
export function headerValue(headers: Record<string, string>, name: string): string | undefined {
  const wanted = name.toLowerCase();
  for (const [key, value] of Object.entries(headers)) if (key.toLowerCase() === wanted) return value;
  return undefined;
}

/** Posts one delivery; network failures become a CliError that names the URL and how to start the hub. */
export async function postDelivery(url: string, headers: Record<string, string>, body: string): Promise<DeliveryResult> {
  const started = performance.now();
  let response: Response;
  try {
    response = await fetch(url, { method: "POST", headers, body, signal: AbortSignal.timeout(DELIVERY_TIMEOUT_MS) });
  } catch (error) {
    const cause = errorCause(error);
    throw new CliError(`could not reach the hub at ${url}: ${cause}`, {
      hint: "Start the local sandbox with `npm start`, or pass --url with the hub's address.",
    });
  }

  const text = await response.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    // The hub responds with JSON. Anything else is kept as text so the user sees it.
  }
  return {
    delivery: headerValue(headers, "x-github-delivery") ?? "",
    event: headerValue(headers, "x-github-event") ?? "",
    status: response.status,
    ok: response.ok,
    response: parsed,
    duration_ms: Math.round(performance.now() - started),
  };
}

/** Formats a hub response as one line, such as `200 handled delivery 1f2e... (duplicate)`. */
export function describeResult(result: DeliveryResult): string {
  const body = typeof result.response === "object" && result.response !== null ? (result.response as Record<string, unknown>) : {};
  let outcome: string;
  if (!result.ok) outcome = `rejected: ${typeof body.error === "string" ? body.error : String(result.response).slice(0, 200)}`;
  else if (body.ignored === true) outcome = "ignored by the hub";
  else if (body.duplicate === true) outcome = "duplicate, already handled";
  else outcome = "handled";
  const stream = typeof body.stream === "string" ? ` stream=${body.stream}` : "";
  return `${result.status} ${result.event} delivery=${result.delivery}${stream} ${outcome} (${result.duration_ms} ms)`;
}
