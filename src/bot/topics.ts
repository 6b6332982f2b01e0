/** Stream lookup for a forum topic, from config's STREAMS or a binding made with /bind. */
import type { Message } from "@grammyjs/types";
import { chatAgentName, topicKey } from "../agent/chat-agent.ts";
import type { Config } from "../config.ts";

export interface TopicRef {
  chat_id: number;
  /** Undefined for General and for groups without topics. */
  message_thread_id?: number;
}

export interface StreamOfTopic {
  stream: string;
  source: "config" | "chat";
}

/**
 * Returns the topic a message was posted in. Only `is_topic_message` marks a real topic: a reply in General
 * carries the reply chain's root as message_thread_id, which Telegram rejects as a topic.
 */
export function topicOf(message: Pick<Message, "chat" | "message_thread_id" | "is_topic_message">): TopicRef {
  return message.is_topic_message === true && message.message_thread_id !== undefined
    ? { chat_id: message.chat.id, message_thread_id: message.message_thread_id }
    : { chat_id: message.chat.id };
}

export function chatAgent(env: Env, chatId: number) {
  return env.CHAT_AGENT.get(env.CHAT_AGENT.idFromName(chatAgentName(chatId)));
}

function configuredStream(config: Config, chatId: number, threadId: number | undefined): string | undefined {
  return Object.entries(config.streams).find(
    ([, binding]) => binding.chat_id === chatId && binding.message_thread_id === threadId,
  )?.[0];
}

/** Returns true when the bot acts in this chat (configured, or the supergroup an old group became). */
export async function isKnownChat(env: Env, config: Config, chatId: number): Promise<boolean> {
  if (config.chatIds.has(chatId)) return true;
  const from = await chatAgent(env, chatId).migratedFrom();
  return from !== null && config.chatIds.has(from);
}

export async function streamOfTopic(env: Env, config: Config, topic: TopicRef): Promise<StreamOfTopic | null> {
  const configured = configuredStream(config, topic.chat_id, topic.message_thread_id);
  if (configured !== undefined) return { stream: configured, source: "config" };

  const agent = chatAgent(env, topic.chat_id);
  const migratedFrom = await agent.migratedFrom();
  if (migratedFrom !== null) {
    const old = configuredStream(config, migratedFrom, topic.message_thread_id);
    if (old !== undefined) return { stream: old, source: "config" };
  }

  const bound = await agent.streamForTopic(topicKey(topic.message_thread_id));
  return bound !== null ? { stream: bound, source: "chat" } : null;
}

/** Builds a t.me link to a message in a supergroup; other chats have no such links. */
export function messageLink(topic: TopicRef, messageId: number): string | undefined {
  const id = String(topic.chat_id);
  if (!id.startsWith("-100")) return undefined;
  const internal = id.slice(4);
  return topic.message_thread_id !== undefined
    ? `https://t.me/c/${internal}/${topic.message_thread_id}/${messageId}`
    : `https://t.me/c/${internal}/${messageId}`;
}
