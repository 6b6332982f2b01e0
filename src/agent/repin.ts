/**
 * One atomic repin: send the new card, pin it, then delete the cards it replaces.
 *
 * The publish record is written before and after each Bot API call, and always re-read after an
 * await, because deliveries can be stored while a call is in flight (a fetch opens the input gate).
 * Resuming from any step therefore never pins two cards, never loses the pinned id and never
 * drops state. A card that was sent but not pinned is pinned on the next run instead of being sent
 * again, and the previous card stays in the stale list until it is gone.
 */
import type { BotApi, BotApiFailure, CallContext } from "../telegram/bot-api.ts";
import type { AgentStore, PublishRecord } from "./agent-store.ts";
import { CARD_MARKUP, type Card } from "./card.ts";

export type RepinResult =
  | { status: "published"; message_id: number }
  | { status: "unchanged" }
  /** The chat's shared send budget has no slot before `until`. */
  | { status: "deferred"; until: number }
  | { status: "failed"; failure: BotApiFailure };

/** The chat's shared send budget (see ChatAgent). */
export interface SendBudget {
  /** Returns the time of this topic's send slot, epoch ms. */
  reserve(): Promise<number>;
  /** Records that the reserved send happened. */
  confirm(): Promise<void>;
}



export interface RepinInput {
  api: BotApi;
  store: AgentStore;
  target: CallContext;
  /** Renders the card from the current state, with the state revision it shows. */
  render: () => { card: Card; revision: number };
  now: () => number;
  budget: SendBudget;
}

// NOTE: a repin costs four Bot API calls whatever the burst size: send, pin, delete the old card,
// and the bot deleting the pin's service message. Calls per delivery therefore stay under 0.05 only
// when a debounce window gathers more than 80 deliveries (docs/benchmarks.md).

/** A card deleted by hand between send and pin is sent again, at most this many times per run. */
const MAX_SENDS_PER_RUN = 3;

function update(store: AgentStore, change: (record: PublishRecord) => void): PublishRecord {
  const record = store.readPublish();
  change(record);
  store.writePublish(record);
  return record;
}

export async function repin(input: RepinInput): Promise<RepinResult> {
  const { api, store, target, render, now, budget } = input;
  let record = store.readPublish();
  let published: number | undefined;

  // A card that was never sent (or whose send did not return) is rendered afresh; one that was sent
  // is pinned as it is.
  if (record.in_flight?.phase !== "sent") {
    const { card, revision } = render();
    const unchanged = record.pinned_message_id !== undefined && record.pinned_card === card.html;
    if (unchanged && !record.forced) {
      update(store, (r) => {
        r.published_revision = Math.max(r.published_revision, revision);
        delete r.in_flight;
      });
    } else {
      record = update(store, (r) => {
        r.in_flight = { phase: "sending", card: card.html, revision, started_at: now() };
      });
    }
  }

  for (let sends = 0; store.readPublish().in_flight !== undefined; ) {
    const flight = store.readPublish().in_flight!;
    let messageId = flight.message_id;

    if (flight.phase === "sending" || messageId === undefined) {
      if (sends++ >= MAX_SENDS_PER_RUN) {
        return { status: "failed", failure: { kind: "unavailable", method: "sendMessage", error_code: 0, description: "card was deleted before it could be pinned" } };
      }
      const slot = await budget.reserve();
      if (slot > now()) return { status: "deferred", until: slot };
      const sent = await api.sendMessage(target, flight.card, CARD_MARKUP);
      if (!sent.ok) return { status: "failed", failure: sent.failure };
      await budget.confirm();
      messageId = sent.result.message_id;
      update(store, (r) => {
        r.in_flight = { ...flight, phase: "sent", message_id: messageId };
      });
    }

    const pinned = await api.pinChatMessage(target, messageId);
    if (!pinned.ok) {
      if (pinned.failure.kind !== "message_gone") return { status: "failed", failure: pinned.failure };
      // Someone deleted the new card before it was pinned: send it again.
      update(store, (r) => {
        r.in_flight = { phase: "sending", card: flight.card, revision: flight.revision, started_at: flight.started_at };
      });
      continue;
    }

    const pinnedId = messageId;
    update(store, (r) => {
      if (r.pinned_message_id !== undefined && r.pinned_message_id !== pinnedId) r.stale_message_ids.push(r.pinned_message_id);
      r.pinned_message_id = pinnedId;
      r.pinned_card = flight.card;
      r.pinned_at = now();
      r.published_revision = Math.max(r.published_revision, flight.revision);
      r.forced = false;
      delete r.in_flight;
    });
    published = pinnedId;
  }

  // Remove the cards this one replaced. Deleting a pinned message unpins it too, so unpin is only
  // needed for a card Telegram will not delete (the bot's own messages become undeletable after
  // 48 hours). "Not found" counts as done, so a card deleted by hand or a retry after a crash
  // finishes cleanly.
  for (const staleId of [...store.readPublish().stale_message_ids]) {
    const deleted = await api.deleteMessage(target, staleId);
    if (!deleted.ok && deleted.failure.kind === "undeletable") {
      const unpinned = await api.unpinChatMessage(target, staleId);
      if (!unpinned.ok && unpinned.failure.kind !== "already_done") return { status: "failed", failure: unpinned.failure };
    } else if (!deleted.ok && deleted.failure.kind !== "already_done" && deleted.failure.kind !== "message_gone") {
      return { status: "failed", failure: deleted.failure };
    }
    update(store, (r) => {
      r.stale_message_ids = r.stale_message_ids.filter((id) => id !== staleId);
    });
  }

  return published !== undefined ? { status: "published", message_id: published } : { status: "unchanged" };
}
