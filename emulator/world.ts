/**
 * The emulated Telegram world: users, chats with their members, forum topics, messages and
 * pinned lists. Methods and control endpoints change it, and the state endpoint reads it.
 */

import type { MessageEntity } from "./html.ts";

export type User = { id: number; is_bot: boolean; first_name: string; username?: string };

export type ChatType = "supergroup" | "group";

export type MemberStatus = "creator" | "administrator" | "member" | "left" | "kicked";

/** Administrator rights, plus can_send_messages for a restricted member. */
export type Rights = Partial<Record<(typeof RIGHT_NAMES)[number], boolean>>;

export const RIGHT_NAMES = [
  "can_manage_chat", "can_delete_messages", "can_manage_video_chats", "can_restrict_members",
  "can_promote_members", "can_change_info", "can_invite_users", "can_post_stories",
  "can_edit_stories", "can_delete_stories", "can_pin_messages", "can_manage_topics",
  "can_send_messages",
] as const;

export type Member = { user_id: number; status: MemberStatus; rights: Rights };

export const GENERAL_THREAD_ID = 1;

export type Topic = {
  message_thread_id: number;
  name: string;
  icon_color: number;
  is_closed: boolean;
  deleted: boolean;
  /** Oldest first; the last entry is the pin clients show on top. */
  pinned_message_ids: number[];
};

export type ServiceKind = "chat_created" | "topic_created" | "pinned";

export type StoredMessage = {
  message_id: number;
  /** A topic id, or in General and plain groups the root of a reply chain. */
  message_thread_id?: number;
  is_topic_message: boolean;
  from: User;
  sender_chat_id?: number;
  date: number;
  edit_date?: number;
  text: string;
  entities: MessageEntity[];
  reply_markup?: unknown;
  reply_to_message_id?: number;
  pinned_message_id?: number;
  service?: ServiceKind;
  deleted: boolean;
};

export type Chat = {
  id: number;
  title: string;
  type: ChatType;
  is_forum: boolean;
  members: Map<number, Member>;
  /** Forum topics by thread id; General is thread 1 and has no creation message. */
  topics: Map<number, Topic>;
  messages: Map<number, StoredMessage>;
  next_message_id: number;
  /** Chat-wide pins, oldest first, as getChat reports the newest. */
  pinned_message_ids: number[];
};

export const TOPIC_ICON_COLORS = [0x6fb9f0, 0xffd67e, 0xcb86db, 0x8eee98, 0xff93b2, 0xfb6f5f];

export function nowSeconds(): number {
  return Math.floor(Date.now() / 1000);
}

export class World {
  readonly bot: User;
  readonly token: string;
  readonly users = new Map<number, User>();
  readonly chats = new Map<number, Chat>();
  /** Old basic group id to its supergroup id after an upgrade. */
  readonly migrations = new Map<number, number>();
  private nextSupergroupSerial = 2_000_000_001;
  private nextGroupSerial = 4_000_000_001;

  constructor(bot: User, token: string) {
    this.bot = bot;
    this.token = token;
    this.users.set(bot.id, bot);
  }

  /** Returns a new chat id of the kind Telegram gives: -100… for supergroups, small negatives for groups. */
  allocateChatId(type: ChatType): number {
    if (type === "supergroup") return -(1_000_000_000_000 + this.nextSupergroupSerial++);
    return -this.nextGroupSerial++;
  }

  /** Creates a chat with its "group created" message 1 and, for a forum, the General topic. */
  createChat(options: { id?: number; title: string; type: ChatType; is_forum: boolean; creator: User }): Chat {
    const chat: Chat = {
      id: options.id ?? this.allocateChatId(options.type),
      title: options.title,
      type: options.type,
      is_forum: options.type === "supergroup" && options.is_forum,
      members: new Map(),
      topics: new Map(),
      messages: new Map(),
      next_message_id: 1,
      pinned_message_ids: [],
    };
    this.chats.set(chat.id, chat);
    this.setMember(chat, options.creator, "creator", {});
    this.addMessage(chat, { from: options.creator, text: "", service: "chat_created" });

    if (chat.is_forum) {
      chat.topics.set(GENERAL_THREAD_ID, {
        message_thread_id: GENERAL_THREAD_ID, name: "General", icon_color: TOPIC_ICON_COLORS[0] ?? 0,
        is_closed: false, deleted: false, pinned_message_ids: [],
      });
    }
    return chat;
  }

  /** Creates a forum topic; its thread id is the id of its creation service message. */
  createTopic(chat: Chat, name: string, creator: User): Topic {
    const created = this.addMessage(chat, { from: creator, text: name, service: "topic_created" });
    const topic: Topic = {
      message_thread_id: created.message_id,
      name,
      icon_color: TOPIC_ICON_COLORS[chat.topics.size % TOPIC_ICON_COLORS.length] ?? 0,
      is_closed: false,
      deleted: false,
      pinned_message_ids: [],
    };
    created.message_thread_id = topic.message_thread_id;
    created.is_topic_message = true;
    chat.topics.set(topic.message_thread_id, topic);
    return topic;
  }

  addMessage(
    chat: Chat,
    fields: Partial<StoredMessage> & { from: User; text: string },
  ): StoredMessage {
    const message: StoredMessage = {
      is_topic_message: false,
      date: nowSeconds(),
      entities: [],
      deleted: false,
      ...fields,
      message_id: chat.next_message_id++,
    };
    chat.messages.set(message.message_id, message);
    return message;
  }

  /** Returns a message that exists and was not deleted. */
  liveMessage(chat: Chat, messageId: number | undefined): StoredMessage | undefined {
    if (messageId === undefined || Number.isNaN(messageId)) return undefined;
    const message = chat.messages.get(messageId);
    return message === undefined || message.deleted ? undefined : message;
  }

  setMember(chat: Chat, user: User, status: MemberStatus, rights: Rights): Member {
    this.users.set(user.id, user);
    const member: Member = { user_id: user.id, status, rights: { ...rights } };
    chat.members.set(user.id, member);
    return member;
  }

  memberOf(chat: Chat, userId: number): Member | undefined {
    return chat.members.get(userId);
  }

  /** Returns the pinned list a message belongs to: its topic's in a forum, else the chat's. */
  topicOf(chat: Chat, message: StoredMessage): Topic | undefined {
    if (!chat.is_forum) return undefined;
    const threadId = message.is_topic_message ? message.message_thread_id : GENERAL_THREAD_ID;
    return threadId === undefined ? undefined : chat.topics.get(threadId);
  }

  /** Removes a message from every pinned list. */
  unpin(chat: Chat, messageId: number): void {
    chat.pinned_message_ids = chat.pinned_message_ids.filter((id) => id !== messageId);
    for (const topic of chat.topics.values()) {
      topic.pinned_message_ids = topic.pinned_message_ids.filter((id) => id !== messageId);
    }
  }

  /** Pins a message on top of the chat's list and its topic's list. */
  pin(chat: Chat, message: StoredMessage): void {
    this.unpin(chat, message.message_id);
    chat.pinned_message_ids.push(message.message_id);
    this.topicOf(chat, message)?.pinned_message_ids.push(message.message_id);
  }

  deleteMessage(chat: Chat, message: StoredMessage): void {
    message.deleted = true;
    this.unpin(chat, message.message_id);
  }
}
