/**
 * All topics of one chat share Telegram's limit of about 20 messages a minute. A storm across 30
 * topics of one chat must draw no 429 from the emulator (which enforces the limit like Telegram),
 * and every topic's card must still converge.
 */
import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { agentName } from "../../src/agent/topic-agent.ts";
import { emulatorPost, emulatorState, eventually, postDelivery } from "./helpers.ts";
import { pullRequestPayload } from "./payloads.ts";

const TOPICS = 30;

describe("chat send budget", () => {
  it("keeps a 30-topic storm under the chat limit", { timeout: 180_000 }, async () => {
    const names = Array.from({ length: TOPICS }, (_, n) => `storm-${n + 1}`);
    const chat = (await emulatorPost("chats", { title: "storm", type: "supergroup", is_forum: true, topics: names })) as {
      id: number;
      topics: Array<{ message_thread_id: number; name: string }>;
    };
    for (const name of names) {
      const topic = chat.topics.find((t) => t.name === name)!;
      await env.TOPIC_AGENT.get(env.TOPIC_AGENT.idFromName(agentName(name))).bind(name, { chat_id: chat.id, message_thread_id: topic.message_thread_id });
    }

    // Three deliveries per topic, all at once: 90 deliveries that want 30 cards (plus the 30 empty
    // cards that binding published), over Telegram's 20 messages a minute for one chat.
    const started = Date.now();
    const responses = await Promise.all(
      names.flatMap((name, n) =>
        [1, 2, 3].map((k) =>
          postDelivery("pull_request", pullRequestPayload({ number: n + 1, title: `${name} change ${k}`, headRef: name, headSha: `${n}`.padStart(40, "c"), updatedAt: new Date(started + k * 1000).toISOString() }), { stream: name }),
        ),
      ),
    );
    expect(responses.every((r) => r.status === 200)).toBe(true);

    const converged = await eventually(async () => {
      const state = await emulatorState();
      const forum = state.chats.find((c) => c.id === chat.id)!;
      const done = names.every((name) => {
        const topic = forum.topics.find((t) => t.name === name)!;
        const cards = forum.messages.filter((m) => !m.deleted && m.from.is_bot && m.message_thread_id === topic.message_thread_id && m.pinned_message_id === undefined);
        return cards.length === 1 && topic.pinned_message_ids.includes(cards[0]!.message_id) && cards[0]!.text.includes(`${name} change 3`);
      });
      return done ? state : undefined;
    }, 170_000, "every topic's card");
    const seconds = (Date.now() - started) / 1000;
    console.info(`chat send budget: ${TOPICS} topics converged in ${seconds.toFixed(1)} s`);

    const calls = converged.calls.filter((c) => c.chat_id === chat.id);
    expect(calls.filter((c) => c.error_code === 429)).toEqual([]);
    // Per minute at most 20 messages, as Telegram allows one group.
    const sends = calls.filter((c) => c.method === "sendMessage" && c.ok).map((c) => Date.parse(c.at));
    for (const at of sends) expect(sends.filter((t) => t > at - 60_000 && t <= at).length).toBeLessThanOrEqual(20);
  });
});
