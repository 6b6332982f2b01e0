/**
 * Faults a person causes in the forum: the bot removed and re-added, a 429 storm, a deleted topic,
 * and deliveries for one pull request arriving in reverse order. Each ends in one correct card
 * with no delivery lost.
 */
import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { agentName } from "../../src/agent/topic-agent.ts";
import { emulatorPost, emulatorState, eventually, postDelivery, testStreams, waitForCard } from "./helpers.ts";
import { pullRequestPayload } from "./payloads.ts";

const BOT_ID = 7000000001;
const FULL_RIGHTS = { can_delete_messages: true, can_pin_messages: true, can_manage_topics: true };

function agent(stream: string) {
  return env.TOPIC_AGENT.get(env.TOPIC_AGENT.idFromName(agentName(stream)));
}

async function lastError(stream: string, text: string) {
  return eventually(async () => {
    const status = await agent(stream).status(stream);
    return status.last_error?.description.includes(text) ? status : undefined;
  }, 8_000, `last_error "${text}" on ${stream}`);
}

describe("forum faults", () => {
  it("recovers after the bot is removed and re-added", async () => {
    const stream = "faults-kicked";
    const { chat_id } = testStreams[stream]!;
    await emulatorPost("members", { chat_id, user_id: BOT_ID, status: "kicked" });
    const payload = pullRequestPayload({ number: 3, title: "While the bot was out", headRef: "out", headSha: "f".repeat(40), updatedAt: new Date().toISOString() });
    expect((await postDelivery("pull_request", payload, { stream })).status).toBe(200);

    const failed = await lastError(stream, "bot was kicked");
    expect(failed.pending_deliveries).toBe(1);

    await emulatorPost("members", { chat_id, user_id: BOT_ID, status: "administrator", rights: FULL_RIGHTS });
    await agent(stream).requestRepin(stream);
    const view = await waitForCard(stream, (text) => text.includes("While the bot was out"));
    expect(view.pinnedCards).toHaveLength(1);
  });

  it("rides out a 429 storm", async () => {
    const stream = "faults-storm";
    await emulatorPost("faults", {
      chat_id: testStreams[stream]!.chat_id,
      method: "sendMessage",
      count: 3,
      error_code: 429,
      description: "Too Many Requests: retry after 1",
      parameters: { retry_after: 1 },
    });
    const payload = pullRequestPayload({ number: 9, title: "After the storm", headRef: "storm", headSha: "9".repeat(40), updatedAt: new Date().toISOString() });
    expect((await postDelivery("pull_request", payload, { stream })).status).toBe(200);

    const view = await waitForCard(stream, (text) => text.includes("After the storm"), 15_000);
    const sends = view.calls.filter((c) => c.method === "sendMessage");
    expect(sends.filter((c) => c.error_code === 429).length).toBeGreaterThanOrEqual(3);
    // Each retry waited for retry_after: the three 429s span at least two seconds.
    const storm = sends.filter((c) => c.error_code === 429).slice(-3);
    expect(Date.parse(storm[2]!.at) - Date.parse(storm[0]!.at)).toBeGreaterThanOrEqual(2_000);
  });

  it("keeps state when the topic is deleted and publishes once rebound", async () => {
    const stream = "deleted-topic";
    const chat = (await emulatorPost("chats", { title: "deleted topic", type: "supergroup", is_forum: true, topics: ["old", "new"] })) as {
      id: number;
      topics: Array<{ message_thread_id: number; name: string }>;
    };
    const thread = (name: string) => chat.topics.find((t) => t.name === name)!.message_thread_id;
    await agent(stream).bind(stream, { chat_id: chat.id, message_thread_id: thread("old") });
    await emulatorPost("topics", { chat_id: chat.id, message_thread_id: thread("old"), action: "delete" });

    const payload = pullRequestPayload({ number: 4, title: "Survives the topic", headRef: "topic", headSha: "4".repeat(40), updatedAt: new Date().toISOString() });
    expect((await postDelivery("pull_request", payload, { stream })).status).toBe(200);
    await lastError(stream, "message thread not found");

    await agent(stream).bind(stream, { chat_id: chat.id, message_thread_id: thread("new") });
    const card = await eventually(async () => {
      const state = await emulatorState();
      const forum = state.chats.find((c) => c.id === chat.id)!;
      const topic = forum.topics.find((t) => t.name === "new")!;
      return forum.messages.find((m) => !m.deleted && topic.pinned_message_ids.includes(m.message_id) && m.text.includes("Survives the topic"));
    }, 8_000, "the card in the new topic");
    expect(card.text).toContain("#4");
  });
});

describe("delivery order", () => {
  it("shows the final state of a pull request delivered in reverse", async () => {
    const stream = "order";
    const start = Date.parse("2026-12-01T10:00:00Z");
    const steps = [
      { action: "opened", title: "Order: first title", merged: false },
      { action: "edited", title: "Order: second title", merged: false },
      { action: "synchronize", title: "Order: second title", merged: false },
      { action: "closed", title: "Order: final title", merged: true },
    ].map((step, n) => {
      const payload = pullRequestPayload({ number: 77, title: step.title, headRef: "order", headSha: `${n}`.repeat(40), updatedAt: new Date(start + n * 60_000).toISOString(), action: step.action });
      if (step.merged) Object.assign(payload.pull_request, { state: "closed", merged: true, merged_at: new Date(start + n * 60_000).toISOString(), merged_by: { login: "merger" } });
      return payload;
    });

    for (const payload of [...steps].reverse()) {
      expect((await postDelivery("pull_request", payload, { stream })).status).toBe(200);
    }
    const view = await waitForCard(stream, (text) => text.includes("Order: final title"));
    const text = view.pinnedCards[0]!.text;
    expect(text).toContain("merged by merger");
    expect(text).not.toContain("Open pull requests");
    expect((await agent(stream).status(stream)).deliveries_total).toBe(4);
  });
});
