/** setWebhook, getWebhookInfo and deleteWebhook. */

import { badRequest } from "../errors.ts";
import { isLoopbackUrl } from "../webhook.ts";
import type { MethodContext } from "./common.ts";
import { DescribedResult } from "./common.ts";

const SECRET_TOKEN_PATTERN = /^[A-Za-z0-9_-]{1,256}$/;

/**
 * Stores the webhook. An empty url removes it; allowed_updates left out keeps the previous list.
 *
 * NOTE: Telegram requires an HTTPS URL on a public address. The emulator instead accepts only
 * http(s) URLs on 127.0.0.1, localhost or ::1, so updates never leave the machine.
 */
export function setWebhook(context: MethodContext): unknown {
  const { params, emulator } = context;
  const config = emulator.webhook.config;
  const rawUrl = params.string("url") ?? "";

  if (rawUrl === "") {
    emulator.webhook.reset();
    return new DescribedResult(true, "Webhook was deleted");
  }

  let url: URL;
  try {
    url = new URL(rawUrl);
  } catch {
    throw badRequest("Bad webhook: invalid URL specified");
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw badRequest("Bad webhook: unsupported URL protocol specified");
  }
  if (!isLoopbackUrl(url)) {
    throw badRequest("Bad webhook: the emulator delivers only to 127.0.0.1, localhost or [::1]");
  }

  const secret = params.string("secret_token");
  if (secret !== undefined && !SECRET_TOKEN_PATTERN.test(secret)) {
    throw badRequest("Secret token contains unallowed characters");
  }

  const allowed = params.json("allowed_updates", "Can't parse allowed_updates JSON object");
  if (allowed !== undefined && (!Array.isArray(allowed) || !allowed.every((entry) => typeof entry === "string"))) {
    throw badRequest("Can't parse allowed_updates JSON object");
  }

  const unchanged = config.url === rawUrl && config.secret_token === secret && allowed === undefined;
  config.url = rawUrl;
  if (secret === undefined) delete config.secret_token;
  else config.secret_token = secret;
  if (allowed !== undefined) config.allowed_updates = allowed as string[];
  if (params.boolean("drop_pending_updates")) config.pending_update_count = 0;
  return new DescribedResult(true, unchanged ? "Webhook is already set" : "Webhook was set");
}

export function getWebhookInfo(context: MethodContext): unknown {
  const config = context.emulator.webhook.config;
  const info: Record<string, unknown> = {
    url: config.url,
    has_custom_certificate: false,
    pending_update_count: config.pending_update_count,
  };
  if (config.url !== "") {
    info.max_connections = config.max_connections;
    info.ip_address = "127.0.0.1";
    if (config.allowed_updates.length > 0) info.allowed_updates = config.allowed_updates;
  }
  if (config.last_error_message !== undefined) {
    info.last_error_date = config.last_error_date;
    info.last_error_message = config.last_error_message;
  }
  return info;
}

export function deleteWebhook(context: MethodContext): unknown {
  const { webhook } = context.emulator;
  const drop = context.params.boolean("drop_pending_updates");
  const pending = webhook.config.pending_update_count;
  const wasSet = webhook.config.url !== "";

  webhook.reset();
  if (!drop) webhook.config.pending_update_count = pending;
  return new DescribedResult(true, wasSet ? "Webhook was deleted" : "Webhook is already deleted");
}
