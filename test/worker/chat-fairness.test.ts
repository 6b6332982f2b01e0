/**
 * A busy topic must not starve a quiet one in the same chat: send slots go out first come, first
 * served, and a topic holds at most one reservation.
 */
import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { agentName } from "../../src/agent/topic-agent.ts";
import { emulatorPost, emulatorState, eventually, postDelivery } from "./helpers.ts";
import { pullRequestPayload } from "./payloads.ts";

describe("chat send budget", () => {
  it("serves a quiet topic during a busy one's storm", { timeout: 180_000 }, async () => {
    const chat = (await emulatorPost("chats", { title: "fairness", type: "supergroup", is_forum: true, topics: ["busy", "quiet"] })) as {
      id: number;
      topics: Array<{ message_thread_id: number; name: string }>;
    };
    const thread = (name: string) => chat.topics.find((t) => t.name === name)!.message_thread_id;
    for (const name of ["busy", "quiet"]) {
      await env.TOPIC_AGENT.get(env.TOPIC_AGENT.idFromName(agentName(`fair-${name}`))).bind(`fair-${name}`, { chat_id: chat.id, message_thread_id: thread(name) });
    }

    // The busy topic gets a delivery every 250 ms for 25 s; each debounce window wants a new card.
    const stormEnds = Date.now() + 25_000;
    let n = 0;
    let quietSentAt = 0;
    while (Date.now() < stormEnds) {
      n += 1;
      const payload = pullRequestPayload({ number: 1, title: `busy change ${n}`, headRef: "busy", headSha: "d".repeat(40), updatedAt: new Date(Date.now()).toISOString() });
      await postDelivery("pull_request", payload, { stream: "fair-busy" });
      if (quietSentAt === 0 && n === 20) {
        quietSentAt = Date.now();
        await postDelivery("pull_request", pullRequestPayload({ number: 2, title: "quiet change", headRef: "quiet", headSha: "e".repeat(40), updatedAt: new Date().toISOString() }), { stream: "fair-quiet" });
      }
      await new Promise((resolve) => setTimeout(resolve, 250));
    }

    const state = await eventually(async () => {
      const current = await emulatorState();
      const forum = current.chats.find((c) => c.id === chat.id)!;
      const quietCard = forum.messages.find((m) => !m.deleted && m.message_thread_id === thread("quiet") && m.text.includes("quiet change"));
      return quietCard !== undefined ? current : undefined;
    }, 150_000, "the quiet topic's card");

    const calls = state.calls.filter((c) => c.chat_id === chat.id && c.method === "sendMessage" && c.ok);
    const forum = state.chats.find((c) => c.id === chat.id)!;
    const quietCard = forum.messages.find((m) => m.message_thread_id === thread("quiet") && m.text.includes("quiet change"))!;
    const quietSend = calls.find((c) => (c as { message_id?: number }).message_id === quietCard.message_id)!;
    // Busy sends that went out between the quiet delivery and the quiet card: first come, first
    // served allows the one the busy topic had already reserved, and not a second.
    const busyAhead = calls.filter((c) => Date.parse(c.at) > quietSentAt && Date.parse(c.at) < Date.parse(quietSend.at)).length;
    console.info(`chat send budget: quiet card ${((Date.parse(quietSend.at) - quietSentAt) / 1000).toFixed(1)} s after its delivery, ${busyAhead} busy sends ahead`);
    expect(busyAhead).toBeLessThanOrEqual(1);
    expect(state.calls.filter((c) => c.chat_id === chat.id && c.error_code === 429)).toEqual([]);
  });
});
