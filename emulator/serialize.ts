/** Converts stored state into the Bot API's object shapes: Chat, Message, ChatMember, ChatFullInfo. */

import type { Chat, Member, StoredMessage, User, World } from "./world.ts";
import { RIGHT_NAMES } from "./world.ts";

export const ANONYMOUS_ADMIN: User = {
  id: 1087968824,
  is_bot: true,
  first_name: "Group",
  username: "GroupAnonymousBot",
};

export function apiChat(chat: Chat): Record<string, unknown> {
  const result: Record<string, unknown> = { id: chat.id, title: chat.title, type: chat.type };
  if (chat.is_forum) result.is_forum = true;
  return result;
}

/**
 * Builds a Message. Telegram nests one level only, so a replied-to or pinned message comes
 * without its own reply_to_message or pinned_message.
 */
export function apiMessage(world: World, chat: Chat, message: StoredMessage, nested = false): Record<string, unknown> {
  const result: Record<string, unknown> = { message_id: message.message_id, from: message.from };
  if (message.sender_chat_id !== undefined) {
    const senderChat = world.chats.get(message.sender_chat_id);
    if (senderChat !== undefined) result.sender_chat = apiChat(senderChat);
  }
  result.chat = apiChat(chat);
  result.date = message.date;
  if (message.message_thread_id !== undefined) result.message_thread_id = message.message_thread_id;
  if (message.is_topic_message) result.is_topic_message = true;

  // Inside a topic, a message that replies to nothing replies to the topic's creation message.
  const replyToId = message.reply_to_message_id
    ?? (message.is_topic_message && message.service !== "topic_created" ? message.message_thread_id : undefined);
  const repliedTo = replyToId === undefined ? undefined : chat.messages.get(replyToId);
  if (!nested && repliedTo !== undefined && !repliedTo.deleted) {
    result.reply_to_message = apiMessage(world, chat, repliedTo, true);
  }
  if (message.edit_date !== undefined) result.edit_date = message.edit_date;

  switch (message.service) {
    case "chat_created":
      result[chat.type === "group" ? "group_chat_created" : "supergroup_chat_created"] = true;
      break;
    case "topic_created": {
      const topic = chat.topics.get(message.message_id);
      result.forum_topic_created = { name: message.text, icon_color: topic?.icon_color ?? 0 };
      break;
    }
    case "pinned": {
      const pinned = message.pinned_message_id === undefined ? undefined : chat.messages.get(message.pinned_message_id);
      if (!nested && pinned !== undefined) {
        result.pinned_message = pinned.deleted
          ? { chat: apiChat(chat), message_id: pinned.message_id, date: 0 }
          : apiMessage(world, chat, pinned, true);
      }
      break;
    }
    default:
      result.text = message.text;
      if (message.entities.length > 0) result.entities = message.entities;
      if (message.reply_markup !== undefined) result.reply_markup = message.reply_markup;
  }
  return result;
}

/** Builds a ChatMember of the kind its status calls for, with every right an administrator has. */
export function apiChatMember(world: World, chat: Chat, member: Member): Record<string, unknown> {
  const user = world.users.get(member.user_id) ?? { id: member.user_id, is_bot: false, first_name: "" };
  const result: Record<string, unknown> = { user, status: member.status };

  if (member.status === "creator") result.is_anonymous = false;
  if (member.status === "kicked") result.until_date = 0;
  if (member.status === "administrator") {
    result.can_be_edited = false;
    result.is_anonymous = false;
    for (const right of RIGHT_NAMES) {
      if (right === "can_send_messages") continue;
      if (right === "can_manage_topics" && !chat.is_forum) continue;
      result[right] = member.rights[right] === true;
    }
    result.can_manage_chat = true;
  }
  return result;
}

/** Builds the ChatFullInfo getChat returns; pinned_message is the newest chat-wide pin. */
export function apiChatFullInfo(world: World, chat: Chat): Record<string, unknown> {
  const result: Record<string, unknown> = { ...apiChat(chat), accent_color_id: 0, max_reaction_count: 11 };
  const pinnedId = chat.pinned_message_ids.at(-1);
  const pinned = pinnedId === undefined ? undefined : chat.messages.get(pinnedId);
  if (pinned !== undefined) result.pinned_message = apiMessage(world, chat, pinned, true);
  result.permissions = {
    can_send_messages: true, can_send_photos: true, can_send_other_messages: true,
    can_add_web_page_previews: true, can_change_info: false, can_invite_users: true,
    can_pin_messages: false, can_manage_topics: false,
  };
  return result;
}
