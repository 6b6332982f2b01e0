/** pinChatMessage, unpinChatMessage and unpinAllForumTopicMessages. */

import { badRequest } from "../errors.ts";
import type { Chat } from "../world.ts";
import { GENERAL_THREAD_ID } from "../world.ts";
import { apiMessage } from "../serialize.ts";
import type { MethodContext } from "./common.ts";
import { botMember, hasRight, messageIdParam, resolveChat } from "./common.ts";

function requirePinRights(context: MethodContext, chat: Chat): void {
  if (!hasRight(botMember(context, chat), "can_pin_messages")) {
    throw badRequest("Not enough rights to manage pinned messages in the chat");
  }
}

/**
 * Pins a message and posts the "pinned a message" service message in the same thread;
 * disable_notification silences the notification only, so the service message is always posted.
 *
 * NOTE: pinning the message already on top of its list changes nothing and posts no second
 * service message. This follows what clients show and is not confirmed against the server.
 */
export function pinChatMessage(context: MethodContext): unknown {
  const { world } = context.emulator;
  const chat = resolveChat(context);
  requirePinRights(context, chat);

  const message = world.liveMessage(chat, messageIdParam(context));
  if (message === undefined || message.service === "pinned") throw badRequest("Message to pin not found");

  const list = world.topicOf(chat, message)?.pinned_message_ids ?? chat.pinned_message_ids;
  if (list.at(-1) === message.message_id) return true;

  world.pin(chat, message);
  const service = world.addMessage(chat, {
    from: world.bot,
    text: `${world.bot.first_name} pinned a message`,
    service: "pinned",
    pinned_message_id: message.message_id,
    is_topic_message: message.is_topic_message,
    ...(message.message_thread_id === undefined ? {} : { message_thread_id: message.message_thread_id }),
  });
  // Telegram sends the service message to the bot as a regular update, so the bot can delete it
  // (levlam in tdlib/telegram-bot-api#731). It goes out after the method answers.
  const update = apiMessage(world, chat, service);
  setImmediate(() => void context.emulator.webhook.deliver("message", update));
  return true;
}

/** Unpins the given message, or the newest pin of the chat when message_id is left out. */
export function unpinChatMessage(context: MethodContext): unknown {
  const { world } = context.emulator;
  const chat = resolveChat(context);
  requirePinRights(context, chat);

  if (!context.params.has("message_id")) {
    const newest = chat.pinned_message_ids.at(-1);
    if (newest !== undefined) world.unpin(chat, newest);
    return true;
  }

  const message = world.liveMessage(chat, messageIdParam(context));
  if (message === undefined) throw badRequest("Message to unpin not found");
  world.unpin(chat, message.message_id);
  return true;
}

/** Clears one topic's pinned list; General has its own method in Telegram and is rejected here. */
export function unpinAllForumTopicMessages(context: MethodContext): unknown {
  const { world } = context.emulator;
  const chat = resolveChat(context);
  if (!chat.is_forum) throw badRequest("The chat is not a forum");
  requirePinRights(context, chat);

  const threadId = context.params.integer("message_thread_id");
  const topic = threadId === undefined ? undefined : chat.topics.get(threadId);
  if (topic === undefined || topic.deleted || threadId === GENERAL_THREAD_ID) {
    throw badRequest("Message thread not found");
  }

  for (const messageId of [...topic.pinned_message_ids]) world.unpin(chat, messageId);
  return true;
}
