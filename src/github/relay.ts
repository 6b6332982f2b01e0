/**
 * The stateless fallback (PUBLISH_MODE "relay"): each delivery is posted as its own plain message,
 * without the topic agent. It keeps the forum informed while the agent is rolled back or broken,
 * and it is the per-event baseline the benchmarks compare the card against.
 */
import type { Delivery } from "../agent/delivery.ts";
import type { Config } from "../config.ts";
import { errorResponse, json } from "../http.ts";
import { log } from "../log.ts";
import { escapeHtml } from "../agent/html.ts";
import { BotApi } from "../telegram/bot-api.ts";

export async function relayDelivery(config: Config, stream: string, delivery: Delivery): Promise<Response> {
  const binding = config.streams[stream];
  if (binding === undefined) {
    return errorResponse(404, `stream ${stream} has no topic in STREAMS; relay mode cannot use bindings made with /bind`);
  }

  const api = new BotApi(config.telegramBotToken, config.telegramApiRoot);
  const target = { stream, ...binding };
  const repository = delivery.repository !== undefined ? `<b>${escapeHtml(delivery.repository)}</b>: ` : "";
  const sent = await api.sendMessage(target, `${repository}${escapeHtml(delivery.summary)}`);
  if (!sent.ok) {
    log({ msg: "relay failed", level: "error", delivery_id: delivery.id, event: delivery.event, stream, outcome: sent.failure.kind });
    // 502 marks the delivery failed on GitHub, so it can be redelivered once Telegram accepts messages again.
    const headers: Record<string, string> = sent.failure.retry_after !== undefined ? { "retry-after": String(sent.failure.retry_after) } : {};
    return errorResponse(502, `Telegram rejected the message: ${sent.failure.description}`, headers);
  }
  log({ msg: "delivery relayed", delivery_id: delivery.id, event: delivery.event, stream, outcome: "relayed", status: 200 });
  return json(200, { ok: true, event: delivery.event, delivery: delivery.id, stream, relayed: true });
}
