/** The /status reply: what a forum member needs to know about the topic's stream. */
import { escapeHtml, formatUtc } from "../agent/html.ts";
import type { Membership } from "../agent/chat-agent.ts";
import type { StreamStatus } from "../agent/topic-agent.ts";
import { type StreamOfTopic, type TopicRef, messageLink } from "./topics.ts";

/** Whole seconds as "2 s", anything else in milliseconds, so no value is rounded. */
function duration(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${ms} ms`;
}

export function renderStatus(topic: TopicRef, bound: StreamOfTopic, status: StreamStatus, membership: Membership | null, now: number): string {
  const lines = [`<b>Stream ${escapeHtml(status.stream)}</b> (${bound.source === "config" ? "from config" : "bound with /bind"})`];

  if (status.pinned_message_id !== undefined) {
    const link = messageLink(topic, status.pinned_message_id);
    const card = link !== undefined ? `<a href="${escapeHtml(link)}">pinned card</a>` : `pinned card #${status.pinned_message_id}`;
    const since = status.pinned_at !== undefined ? `, published ${formatUtc(status.pinned_at)}` : "";
    lines.push(`Card: ${card}${since}`);
  } else {
    lines.push("Card: none pinned yet");
  }

  const last = status.last_event;
  lines.push(
    last !== undefined
      ? `Last delivery: ${escapeHtml(last.event)}${last.action ? ` ${escapeHtml(last.action)}` : ""}, ${formatUtc(last.received_at)}`
      : "Last delivery: none yet",
  );

  const next = status.next_publish_at;
  const due = next === null ? "none scheduled" : `${formatUtc(next)} (in ${Math.ceil(Math.max(0, next - now) / 1000)} s)`;
  lines.push(`Pending: ${status.pending_deliveries} ${status.pending_deliveries === 1 ? "delivery" : "deliveries"}; next publish: ${due}`);
  lines.push(`Deliveries stored: ${status.deliveries_total}`);

  if (status.last_error !== undefined) {
    const error = status.last_error;
    const code = error.error_code !== 0 ? `${error.error_code} ` : "";
    lines.push(`Last Telegram error: ${code}${escapeHtml(error.description)} (${escapeHtml(error.method)}, ${formatUtc(error.at)})`);
  }
  if (membership !== null) {
    const rights = [membership.can_pin_messages ? "can pin" : "cannot pin", membership.can_delete_messages ? "can delete" : "cannot delete"];
    lines.push(`Bot: ${escapeHtml(membership.status)}, ${rights.join(", ")} (since ${formatUtc(membership.at)})`);
  }
  lines.push(`Debounce: ${duration(status.debounce_ms)}, max wait ${duration(status.max_wait_ms)}`);
  return lines.join("\n");
}
