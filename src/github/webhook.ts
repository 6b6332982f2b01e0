/**
 * `POST /github[/<stream>]`: verifies a GitHub delivery, routes it to a stream and stores it in that
 * stream's topic agent before returning 2xx.
 */
import type { Delivery, IngestResult } from "../agent/delivery.ts";
import { agentName } from "../agent/topic-agent.ts";
import { type Config, isStreamName } from "../config.ts";
import { errorResponse, json } from "../http.ts";
import { log } from "../log.ts";
import { HANDLED_EVENTS, readChange, summarize } from "./changes/index.ts";
import { login, repositoryName, text } from "./changes/fields.ts";
import { relayDelivery } from "./relay.ts";
import { BodyError, parsePayload, readBody } from "./request-body.ts";
import { resolveStream } from "./routing.ts";
import { checkSignature } from "./signature.ts";

const DELIVERY_ID = /^[A-Za-z0-9-]{1,64}$/;
const EVENT_NAME = /^[a-z0-9_]{1,64}$/;

/** Attempts per delivery at storing it in the agent, when the runtime marks the error retryable. */
const MAX_INGEST_ATTEMPTS = 3;

/**
 * Stores the delivery in its stream's agent. A retryable Durable Object error (a broken connection,
 * an object reset) is retried with a fresh stub, which is safe because ingest deduplicates by
 * delivery id. An overloaded object is not retried, since retries would add to its load.
 */
async function ingest(env: Env, stream: string, delivery: Delivery): Promise<IngestResult> {
  for (let attempt = 1; ; attempt += 1) {
    const agent = env.TOPIC_AGENT.get(env.TOPIC_AGENT.idFromName(agentName(stream)));
    try {
      return await agent.ingest(stream, delivery);
    } catch (error) {
      const flags = error as { retryable?: boolean; overloaded?: boolean };
      if (flags.retryable !== true || flags.overloaded === true || attempt >= MAX_INGEST_ATTEMPTS) throw error;
      log({ msg: "delivery store retried", level: "warn", delivery_id: delivery.id, event: delivery.event, stream, attempt, description: String(error) });
    }
  }
}

export async function handleGitHubWebhook(request: Request, env: Env, config: Config, pathStream: string | undefined): Promise<Response> {
  if (request.method !== "POST") {
    return errorResponse(405, `method ${request.method} is not allowed; GitHub webhooks use POST`, { allow: "POST" });
  }
  if (pathStream !== undefined && !isStreamName(pathStream)) {
    return errorResponse(404, `"${pathStream}" is not a stream name; use lower-case letters, digits, ".", "_" and "-"`);
  }
  if (config.githubWebhookSecret === "") {
    log({ msg: "delivery rejected: GITHUB_WEBHOOK_SECRET is not set", level: "error" });
    return errorResponse(503, "the hub has no GITHUB_WEBHOOK_SECRET; set it with `wrangler secret put GITHUB_WEBHOOK_SECRET`");
  }

  // The signature is checked before the body is looked at in any other way.
  let raw: Uint8Array;
  try {
    raw = await readBody(request);
  } catch (error) {
    if (error instanceof BodyError) return errorResponse(error.status, error.message);
    throw error;
  }
  const rawText = new TextDecoder().decode(raw);
  const deliveryHeader = request.headers.get("x-github-delivery");
  const signatureProblem = await checkSignature(config.githubWebhookSecret, rawText, request.headers.get("x-hub-signature-256"));
  if (signatureProblem !== undefined) {
    log({ msg: "delivery rejected: bad signature", level: "warn", status: 401, description: signatureProblem, delivery_id: deliveryHeader?.slice(0, 64) });
    return errorResponse(401, signatureProblem);
  }

  const event = request.headers.get("x-github-event");
  if (event === null || !EVENT_NAME.test(event)) {
    return errorResponse(400, event === null ? "missing X-GitHub-Event header" : "X-GitHub-Event is not an event name");
  }
  if (deliveryHeader === null || !DELIVERY_ID.test(deliveryHeader)) {
    return errorResponse(400, deliveryHeader === null ? "missing X-GitHub-Delivery header" : "X-GitHub-Delivery must be a GUID");
  }
  const deliveryId = deliveryHeader;

  let payload: Record<string, unknown>;
  try {
    payload = parsePayload(request.headers.get("content-type") ?? "", rawText);
  } catch (error) {
    if (error instanceof BodyError) return errorResponse(error.status, error.message);
    throw error;
  }

  const action = text(payload.action) || undefined;
  if (event === "ping") {
    log({ msg: "ping received", delivery_id: deliveryId, event, outcome: "pong", hook_id: request.headers.get("x-github-hook-id") ?? undefined });
    return json(200, { ok: true, event, delivery: deliveryId, zen: text(payload.zen) });
  }

  const stream = resolveStream(config, pathStream, event, payload);
  if (!HANDLED_EVENTS.has(event)) {
    log({ msg: "delivery ignored: event not shown on the card", delivery_id: deliveryId, event, action, stream, outcome: "ignored", status: 202 });
    return json(202, { ok: true, ignored: true, event, delivery: deliveryId, stream, reason: `${event} events are not shown on the card` });
  }

  const receivedAt = Date.now();
  const change = readChange(event, payload, receivedAt);
  const sender = login(payload.sender);
  const repository = repositoryName(payload);
  const delivery: Delivery = {
    id: deliveryId,
    event,
    ...(action !== undefined ? { action } : {}),
    ...(repository !== "" ? { repository } : {}),
    ...(sender !== "" ? { sender } : {}),
    summary: summarize(event, payload),
    received_at: receivedAt,
    ...(change !== undefined ? { change } : {}),
  };

  if (config.publishMode === "relay") return relayDelivery(config, stream, delivery);

  let result;
  try {
    result = await ingest(env, stream, delivery);
  } catch (error) {
    log({ msg: "delivery not stored", level: "error", delivery_id: deliveryId, event, action, stream, outcome: "error", description: String(error) });
    return errorResponse(503, "the delivery could not be stored; redeliver it from the webhook's Recent Deliveries");
  }

  log({
    msg: result.duplicate ? "delivery already stored" : "delivery stored",
    delivery_id: deliveryId,
    event,
    action,
    stream,
    outcome: result.duplicate ? "duplicate" : "stored",
    status: 200,
    change: change?.kind ?? "none",
    publish_at: result.publish_at !== null ? new Date(result.publish_at).toISOString() : undefined,
  });
  return json(200, { ok: true, event, delivery: deliveryId, stream, duplicate: result.duplicate });
}
