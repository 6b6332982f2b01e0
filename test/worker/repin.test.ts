/**
 * The atomic repin as a forum member finds it: bursts, concurrent deliveries and Telegram faults
 * all end in exactly one pinned card that shows every delivery.
 */
import { env, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { type TopicAgent, agentName } from "../../src/agent/topic-agent.ts";
import { emulatorPost, emulatorState, eventually, postDelivery, testStreams, viewTopic, waitForCard } from "./helpers.ts";
import { type PullRequestFacts, pullRequestPayload, pushPayload, reviewPayload } from "./payloads.ts";

function agent(stream: string) {
  return env.TOPIC_AGENT.get(env.TOPIC_AGENT.idFromName(agentName(stream)));
}

function facts(number: number, title: string, updatedAt = new Date().toISOString()): PullRequestFacts {
  return { number, title, headRef: `feature-${number}`, headSha: `${number}`.padStart(40, "a"), updatedAt };
}

async function openPullRequest(stream: string, number: number, title: string): Promise<void> {
  const response = await postDelivery("pull_request", pullRequestPayload(facts(number, title)), { stream });
  expect(response.status).toBe(200);
}

async function fault(stream: string, fault: Record<string, unknown>): Promise<void> {
  await emulatorPost("faults", { chat_id: testStreams[stream]!.chat_id, ...fault });
}

describe("repin", () => {
  it("turns a burst of 200 into one repin", async () => {
    const stream = "burst";
    const base = Date.now();
    const payloads = Array.from({ length: 200 }, (_, n) =>
      pullRequestPayload({ ...facts(n % 20 + 1, `Burst change ${n}`), updatedAt: new Date(base + n * 1000).toISOString(), action: "edited" }),
    );
    const responses = await Promise.all(payloads.map((payload) => postDelivery("pull_request", payload, { stream })));
    expect(responses.map((r) => r.status).every((status) => status === 200)).toBe(true);

    const view = await waitForCard(stream, (text) => text.includes("Burst change 199"));
    expect(view.pinnedCards).toHaveLength(1);
    expect(view.botMessages).toHaveLength(1);
    expect(view.calls.length).toBeLessThanOrEqual(5);
    // The 15 pull requests the card has room for show their last titles: the final state.
    for (let n = 185; n < 200; n += 1) expect(view.pinnedCards[0]!.text).toContain(`Burst change ${n}`);
    expect((await agent(stream).status(stream)).deliveries_total).toBe(200);
  });

  it("shows the push when a review and a push race", async () => {
    const stream = "race";
    const pull = facts(42, "Race the review", new Date(Date.now() - 60_000).toISOString());
    await postDelivery("pull_request", pullRequestPayload(pull), { stream });
    await waitForCard(stream, (text) => text.includes("Race the review"));

    const review = reviewPayload(pull, "reviewer-rita", "approved", new Date().toISOString());
    const newHead = "feedface".padEnd(40, "0");
    const push = pushPayload(review.repository, pull.headRef, newHead, Math.floor(Date.now() / 1000) + 1, "Address review");
    const [reviewResponse, pushResponse] = await Promise.all([
      postDelivery("pull_request_review", review, { stream }),
      postDelivery("push", push, { stream }),
    ]);
    expect(reviewResponse.status).toBe(200);
    expect(pushResponse.status).toBe(200);

    const view = await waitForCard(stream, (text) => text.includes("feedfac") && text.includes("reviewer-rita"));
    expect(view.pinnedCards).toHaveLength(1);
    expect(view.botMessages).toHaveLength(1);
    expect(view.pinnedCards[0]!.text).toContain("Address review");
    expect(view.pinnedCards[0]!.text).toContain("head feedfac");
  });

  it("makes no call when an alarm repeats", async () => {
    const stream = "repin";
    await openPullRequest(stream, 1, "Stable card");
    const settled = await waitForCard(stream, (text) => text.includes("Stable card"));

    // The runtime may run an alarm twice; the second run finds the card unchanged.
    await runInDurableObject(agent(stream), (instance: TopicAgent) => instance.alarm());
    const after = await viewTopic(stream);
    expect(after.calls.length).toBe(settled.calls.length);
    expect(after.pinnedCards.map((m) => m.message_id)).toEqual(settled.pinnedCards.map((m) => m.message_id));
  });

  it("moves an unchanged card on a forced repin", async () => {
    const stream = "repin";
    const before = await waitForCard(stream, (text) => text.includes("Stable card"));
    await eventually(async () => ((await agent(stream).requestRepin(stream)).accepted ? true : undefined));

    const view = await eventually(async () => {
      const current = await waitForCard(stream, (text) => text.includes("Stable card"));
      return current.pinnedCards[0]!.message_id !== before.pinnedCards[0]!.message_id ? current : undefined;
    });
    expect(view.pinnedCards[0]!.text).toBe(before.pinnedCards[0]!.text);
    expect(view.botMessages).toHaveLength(1);
  });

  it("answers a second forced repin with a wait", async () => {
    const stream = "repin";
    await eventually(async () => ((await agent(stream).requestRepin(stream)).accepted ? true : undefined));
    const second = await agent(stream).requestRepin(stream);
    expect(second.accepted).toBe(false);
  });
});

describe("repin under Telegram faults", () => {
  it("waits out a 429 and publishes", async () => {
    const stream = "faults-429";
    await fault(stream, {
      method: "sendMessage",
      error_code: 429,
      description: "Too Many Requests: retry after 1",
      parameters: { retry_after: 1 },
    });
    await openPullRequest(stream, 1, "After the 429");

    const view = await waitForCard(stream, (text) => text.includes("After the 429"));
    const sends = view.calls.filter((c) => c.method === "sendMessage");
    expect(sends.map((c) => c.ok)).toEqual([false, true]);
    expect(sends[0]!.error_code).toBe(429);
    expect(Date.parse(sends[1]!.at) - Date.parse(sends[0]!.at)).toBeGreaterThanOrEqual(1_000);
  });

  it("backs off after a 5xx and publishes", async () => {
    const stream = "faults-5xx";
    await fault(stream, { method: "pinChatMessage", error_code: 502, description: "Bad Gateway" });
    await openPullRequest(stream, 1, "After the 502");

    const view = await waitForCard(stream, (text) => text.includes("After the 502"), 10_000);
    expect(view.pinnedCards).toHaveLength(1);
    expect(view.botMessages).toHaveLength(1);
    const pins = view.calls.filter((c) => c.method === "pinChatMessage");
    expect(pins.map((c) => c.ok)).toEqual([false, true]);
  });

  it("recovers from a hanging pinChatMessage", async () => {
    const stream = "faults-hang";
    await fault(stream, { method: "pinChatMessage", hang: true });
    await openPullRequest(stream, 1, "After the hang");

    const view = await waitForCard(stream, (text) => text.includes("After the hang"), 25_000);
    expect(view.pinnedCards).toHaveLength(1);
    // The card sent before the hang is pinned on retry, not sent again.
    expect(view.botMessages).toHaveLength(1);
    expect(view.calls.filter((c) => c.method === "sendMessage")).toHaveLength(1);
  });

  it("replaces a card deleted by hand", async () => {
    const stream = "faults-deleted";
    await openPullRequest(stream, 1, "First card");
    const first = await waitForCard(stream, (text) => text.includes("First card"));
    await emulatorPost("messages/delete", { chat_id: first.chat.id, message_id: first.pinnedCards[0]!.message_id });

    await openPullRequest(stream, 2, "Second card");
    const view = await waitForCard(stream, (text) => text.includes("Second card") && text.includes("First card"));
    expect(view.botMessages).toHaveLength(1);
  });

  it("replaces a card unpinned by hand", async () => {
    const stream = "faults-unpinned";
    await openPullRequest(stream, 1, "Pinned once");
    const first = await waitForCard(stream, (text) => text.includes("Pinned once"));
    await emulatorPost("messages/unpin", { chat_id: first.chat.id, message_id: first.pinnedCards[0]!.message_id });

    await openPullRequest(stream, 2, "Pinned again");
    const view = await waitForCard(stream, (text) => text.includes("Pinned again"));
    expect(view.botMessages).toHaveLength(1);
  });

  it("unpins an old card it cannot delete", async () => {
    const stream = "faults-undeletable";
    await openPullRequest(stream, 1, "Old card");
    const first = await waitForCard(stream, (text) => text.includes("Old card"));
    // Telegram refuses to delete a bot's message after 48 hours.
    await fault(stream, { method: "deleteMessage", error_code: 400, description: "Bad Request: message can't be deleted" });
    await openPullRequest(stream, 2, "New card");

    const view = await eventually(async () => {
      const current = await viewTopic(stream);
      const settled = current.pinnedCards.length === 1 && current.pinnedCards[0]!.text.includes("New card");
      const oldCard = current.botMessages.find((m) => m.message_id === first.pinnedCards[0]!.message_id);
      return settled && oldCard !== undefined && (await agent(stream).status(stream)).pending_deliveries === 0 ? current : undefined;
    });
    expect(view.pinnedCards.map((m) => m.message_id)).not.toContain(first.pinnedCards[0]!.message_id);
    expect(view.calls.filter((c) => c.method === "unpinChatMessage" && c.ok)).toHaveLength(1);
  });

  it("records lost pin rights and recovers on /repin", async () => {
    const stream = "faults-rights";
    const { chat_id } = testStreams[stream]!;
    await emulatorPost("members", { chat_id, user_id: 7000000001, status: "administrator", rights: { can_delete_messages: true } });
    await openPullRequest(stream, 1, "Needs pin rights");

    const failed = await eventually(async () => {
      const status = await agent(stream).status(stream);
      return status.last_error?.description.includes("not enough rights") ? status : undefined;
    });
    expect(failed.pending_deliveries).toBe(1);

    await emulatorPost("members", { chat_id, user_id: 7000000001, status: "administrator", rights: { can_delete_messages: true, can_pin_messages: true, can_manage_topics: true } });
    await agent(stream).requestRepin(stream);
    const view = await waitForCard(stream, (text) => text.includes("Needs pin rights"));
    expect(view.botMessages).toHaveLength(1);
  });

  it("records a closed topic and recovers when reopened", async () => {
    const stream = "faults-closed";
    const { chat_id, message_thread_id } = testStreams[stream]!;
    // Admins that manage topics may post in closed ones, so the bot loses that right first.
    await emulatorPost("members", { chat_id, user_id: 7000000001, status: "administrator", rights: { can_delete_messages: true, can_pin_messages: true } });
    await emulatorPost("topics", { chat_id, message_thread_id, action: "close" });
    await openPullRequest(stream, 1, "Topic was closed");

    const failed = await eventually(async () => {
      const status = await agent(stream).status(stream);
      return status.last_error?.description.includes("TOPIC_CLOSED") ? status : undefined;
    });
    expect(failed.pending_deliveries).toBe(1);

    await emulatorPost("topics", { chat_id, message_thread_id, action: "reopen" });
    await agent(stream).requestRepin(stream);
    const view = await waitForCard(stream, (text) => text.includes("Topic was closed"));
    expect(view.botMessages).toHaveLength(1);
  });

  it("follows a group upgraded to a supergroup", async () => {
    // A stream that config does not bind, so the binding made here is the one that counts.
    const stream = "migrate-group";
    const group = (await emulatorPost("chats", { title: "plain group", type: "group", is_forum: false })) as { id: number };
    await agent(stream).bind(stream, { chat_id: group.id });
    const upgrade = (await emulatorPost("upgrade", { chat_id: group.id })) as { migrate_to_chat_id: number };
    await openPullRequest(stream, 1, "After the upgrade");

    const card = await eventually(async () => {
      const state = await emulatorState();
      const chat = state.chats.find((c) => c.id === upgrade.migrate_to_chat_id);
      return chat?.messages.find((m) => !m.deleted && chat.pinned_message_ids.includes(m.message_id) && m.text.includes("After the upgrade"));
    });
    expect(card.text).toContain("After the upgrade");
  });
});
