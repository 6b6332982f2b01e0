/** The JSON document GET /__emulator/state returns: chats, every Bot API call, and the webhook. */

import type { Emulator } from "./core.ts";
import type { Chat, StoredMessage } from "./world.ts";

function messageState(message: StoredMessage): Record<string, unknown> {
  const state: Record<string, unknown> = {
    message_id: message.message_id,
    message_thread_id: message.message_thread_id ?? null,
    from: { id: message.from.id, is_bot: message.from.is_bot, username: message.from.username ?? null },
    text: message.text,
    entities: message.entities,
  };
  if (message.reply_markup !== undefined) state.reply_markup = message.reply_markup;
  if (message.pinned_message_id !== undefined) state.pinned_message_id = message.pinned_message_id;
  if (message.service !== undefined) state.service = message.service;
  if (message.reply_to_message_id !== undefined) state.reply_to_message_id = message.reply_to_message_id;
  if (message.sender_chat_id !== undefined) state.sender_chat_id = message.sender_chat_id;
  state.is_topic_message = message.is_topic_message;
  state.deleted = message.deleted;
  state.date = message.date;
  if (message.edit_date !== undefined) state.edit_date = message.edit_date;
  return state;
}

export function chatState(chat: Chat): Record<string, unknown> {
  return {
    id: chat.id,
    title: chat.title,
    type: chat.type,
    is_forum: chat.is_forum,
    topics: [...chat.topics.values()].map((topic) => ({
      message_thread_id: topic.message_thread_id,
      name: topic.name,
      is_closed: topic.is_closed,
      deleted: topic.deleted,
      pinned_message_ids: [...topic.pinned_message_ids],
    })),
    pinned_message_ids: [...chat.pinned_message_ids],
    members: [...chat.members.values()].map((member) => ({
      user_id: member.user_id,
      status: member.status,
      rights: { ...member.rights },
    })),
    messages: [...chat.messages.values()].map(messageState),
  };
}

export function emulatorState(emulator: Emulator): Record<string, unknown> {
  const config = emulator.webhook.config;
  const webhook: Record<string, unknown> = {
    url: config.url,
    allowed_updates: [...config.allowed_updates],
    pending_update_count: config.pending_update_count,
  };
  if (config.secret_token !== undefined) webhook.secret_token = config.secret_token;
  if (config.last_error_message !== undefined) webhook.last_error_message = config.last_error_message;

  return {
    chats: [...emulator.world.chats.values()].map(chatState),
    calls: emulator.calls.map((call) => ({ ...call })),
    webhook,
    migrations: Object.fromEntries(emulator.world.migrations),
    rate_limit_per_minute: emulator.rateLimiter.limitPerMinute,
    callback_queries: [...emulator.callbackQueries.values()].map((query) => ({ ...query })),
  };
}
