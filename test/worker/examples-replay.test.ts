/**
 * Replays every example payload that GitHub publishes (@octokit/webhooks-examples) through the
 * Worker, signed, and checks the answers and the cards the emulator accepted.
 */
import { env } from "cloudflare:test";
import examples from "@octokit/webhooks-examples/api.github.com/index.json";
import { describe, expect, it } from "vitest";
import { agentName } from "../../src/agent/topic-agent.ts";
import { HANDLED_EVENTS } from "../../src/github/changes/index.ts";
import { emulatorPost, emulatorState, eventually, postDelivery } from "./helpers.ts";

type Payload = Record<string, any>;

/** Text a user must see on the card after this one example, taken from the payload itself. */
function expectedText(event: string, payload: Payload): string[] {
  const pull = payload.pull_request;
  switch (event) {
    case "pull_request":
      return [`#${pull.number}`, String(pull.title).slice(0, 20)];
    case "pull_request_review":
      return payload.action === "dismissed" || payload.review.state === "commented"
        ? [`#${pull.number}`]
        : [`#${pull.number}`, payload.review.user.login];
    case "push":
      return payload.deleted
        ? [payload.ref.replace("refs/heads/", ""), "deleted"]
        : [payload.ref.replace("refs/heads/", ""), String(payload.after).slice(0, 7)];
    case "check_suite":
    case "check_run":
    case "workflow_run":
      return [String(payload[event].head_sha).slice(0, 7)];
    case "status":
      return [String(payload.sha).slice(0, 7), payload.context];
    case "release":
      return ["deleted", "unpublished"].includes(payload.action) || payload.release.draft ? [] : [payload.release.tag_name];
    case "deployment_status":
      return [payload.deployment_status.environment, payload.deployment_status.state];
    case "issues":
      return [`#${payload.issue.number}`, String(payload.issue.title).slice(0, 20)];
    default:
      return [];
  }
}

const all = examples.flatMap((entry) => entry.examples.map((payload, index) => ({ event: entry.name, index, payload: payload as Payload })));

describe("GitHub example payloads", () => {
  it("are all answered 200 or 202", async () => {
    expect(all.length).toBeGreaterThan(300);
    for (const { event, index, payload } of all) {
      const response = await postDelivery(event, payload, { stream: "examples" });
      const body = (await response.json()) as { ok: boolean };
      expect.soft(response.status, `${event} example ${index}`).toBe(HANDLED_EVENTS.has(event) || event === "ping" ? 200 : 202);
      expect.soft(body.ok, `${event} example ${index}`).toBe(true);
    }
  });

  it("each render a card with the payload's values", async () => {
    const handled = all.filter(({ event }) => HANDLED_EVENTS.has(event));
    expect(handled.length).toBeGreaterThan(100);

    for (const [n, { event, index, payload }] of handled.entries()) {
      // One topic per example, in its own chat so the per-chat rate limit never applies.
      const chat = (await emulatorPost("chats", { title: `example ${n}`, type: "supergroup", is_forum: true, topics: ["card"] })) as {
        id: number;
        topics: Array<{ message_thread_id: number; name: string }>;
      };
      const topic = chat.topics.find((t) => t.name === "card")!;
      const stream = `example-${n}`;
      const stub = env.TOPIC_AGENT.get(env.TOPIC_AGENT.idFromName(agentName(stream)));
      await stub.bind(stream, { chat_id: chat.id, message_thread_id: topic.message_thread_id });

      const response = await postDelivery(event, payload, { stream });
      expect(response.status, `${event} example ${index}`).toBe(200);

      // The agent's own alarm publishes after the debounce; runDurableObjectAlarm would bypass the
      // runtime's guarantee that alarms never overlap.
      const expected = expectedText(event, payload);
      const card = await eventually(async () => {
        const state = await emulatorState();
        const topicChat = state.chats.find((c) => c.id === chat.id)!;
        const pinnedIds = new Set(topicChat.topics.find((t) => t.name === "card")!.pinned_message_ids);
        const cards = topicChat.messages.filter((m) => !m.deleted && m.from.is_bot && pinnedIds.has(m.message_id));
        const settled = cards.length === 1 && cards[0]!.text.includes(`as of`) && (await stub.status(stream)).pending_deliveries === 0;
        return settled ? cards[0]! : undefined;
      }, 8_000, `${event} example ${index} card`);
      for (const text of expected) {
        expect.soft(card.text, `${event} example ${index}`).toContain(text);
      }

      const sends = (await emulatorState()).calls.filter((call) => call.chat_id === chat.id && call.method === "sendMessage");
      // Binding the topic publishes an empty card first, so there are one or two sends.
      expect(sends.length, `${event} example ${index}: cards sent`).toBeGreaterThan(0);
      expect(sends.every((call) => call.ok), `${event} example ${index}: emulator accepted every card`).toBe(true);
    }
  });
});
