/**
 * Starts the Telegram emulator for the workerd tests, with one forum chat per test stream, so
 * tests never share a topic or a per-chat rate limit.
 */
import type { TestProject } from "vitest/node";
import { startEmulator } from "../../emulator/server.ts";
import type { TestStreamBinding } from "../provided-context.d.ts";

/** Streams the workerd tests may use; each gets its own forum chat with one topic. */
export const TEST_STREAM_NAMES = [
  "webhook", "examples", "burst", "race", "order", "faults-429", "faults-5xx", "faults-hang", "faults-deleted",
  "faults-rights", "faults-closed", "faults-unpinned", "card", "repin", "dedupe", "faults-kicked", "faults-storm", "faults-undeletable",
  "bot-status", "bot-repin", "bot-refresh", "bot-general", "bad-input",
];


export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const emulator = await startEmulator({ port: 0, seed: "sandbox" });
  const streams: Record<string, TestStreamBinding> = {};
  for (const name of TEST_STREAM_NAMES) {
    const response = await fetch(`${emulator.url}/__emulator/chats`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ title: `test ${name}`, type: "supergroup", is_forum: true, topics: [name] }),
    });
    const chat = (await response.json()) as { id: number; topics: Array<{ message_thread_id: number; name: string }> };
    const topic = chat.topics.find((t) => t.name === name);
    if (!response.ok || topic === undefined) throw new Error(`emulator could not create a chat for ${name}`);
    streams[name] = { chat_id: chat.id, message_thread_id: topic.message_thread_id };
  }
  project.provide("emulatorUrl", emulator.url);
  project.provide("testStreams", streams);
  return () => emulator.close();
}
