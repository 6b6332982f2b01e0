/** Checks shared by the Bot API methods: chat access, rights, forum threads and message text. */

import type { Emulator } from "../core.ts";
import { badRequest, forbidden } from "../errors.ts";
import { HtmlParseError, parseHtml, trimParsedText } from "../html.ts";
import type { MessageEntity, ParsedText } from "../html.ts";
import type { Params } from "../params.ts";
import type { Chat, Member, Rights, StoredMessage } from "../world.ts";
import { GENERAL_THREAD_ID } from "../world.ts";

export const MAX_MESSAGE_LENGTH = 4096;

export type MethodContext = { emulator: Emulator; params: Params };

export type MethodHandler = (context: MethodContext) => unknown;

/** A successful result that Telegram sends with a description, as setWebhook does. */
export class DescribedResult {
  readonly result: unknown;
  readonly description: string;

  constructor(result: unknown, description: string) {
    this.result = result;
    this.description = description;
  }
}

function chatKind(chat: Chat): string {
  return chat.type === "supergroup" ? "supergroup chat" : "group chat";
}

/** Finds the chat named by chat_id and checks the bot is in it, with Telegram's errors otherwise. */
export function resolveChat(context: MethodContext): Chat {
  const { world } = context.emulator;
  const raw = context.params.string("chat_id");
  if (raw === undefined) throw badRequest("Chat_id is empty");

  const chatId = context.params.integer("chat_id");
  if (chatId === undefined || Number.isNaN(chatId)) throw badRequest("Chat not found");

  const migratedTo = world.migrations.get(chatId);
  if (migratedTo !== undefined) {
    throw badRequest("Group chat was upgraded to a supergroup chat", { migrate_to_chat_id: migratedTo });
  }

  const chat = world.chats.get(chatId);
  if (chat === undefined) throw badRequest("Chat not found");

  const status = world.memberOf(chat, world.bot.id)?.status;
  if (status === "kicked") throw forbidden(`Bot was kicked from the ${chatKind(chat)}`);
  if (status === undefined || status === "left") throw forbidden(`Bot is not a member of the ${chatKind(chat)}`);
  return chat;
}

export function botMember(context: MethodContext, chat: Chat): Member | undefined {
  return context.emulator.world.memberOf(chat, context.emulator.world.bot.id);
}

/** Returns true for the creator, and for an administrator holding the right. */
export function hasRight(member: Member | undefined, right: keyof Rights): boolean {
  if (member === undefined) return false;
  if (member.status === "creator") return true;
  return member.status === "administrator" && member.rights[right] === true;
}

export function requireSendRights(context: MethodContext, chat: Chat): void {
  const member = botMember(context, chat);
  if (member?.status === "member" && member.rights.can_send_messages === false) {
    throw badRequest("Not enough rights to send text messages to the chat");
  }
}

/** Reads message_id; a missing or invalid one yields undefined, which no message has. */
export function messageIdParam(context: MethodContext): number | undefined {
  const id = context.params.integer("message_id");
  return id === undefined || Number.isNaN(id) ? undefined : id;
}

/**
 * Parses text, parse_mode and entities into what the message will hold, with Telegram's errors
 * for empty, unparsable and too long text.
 *
 * NOTE: only HTML parse mode is emulated; Markdown and MarkdownV2 get an "unsupported parse_mode"
 * error here although Telegram accepts them.
 */
export function readMessageText(context: MethodContext): ParsedText {
  const { params } = context;
  const raw = params.string("text");
  if (raw === undefined) throw badRequest("Message text is empty");

  const parseMode = params.string("parse_mode");
  let parsed: ParsedText;
  if (parseMode === undefined) {
    const entities = params.json("entities", "Can't parse entities JSON object");
    if (entities !== undefined && !Array.isArray(entities)) throw badRequest("Can't parse entities JSON object");
    parsed = { text: raw, entities: (entities ?? []) as MessageEntity[] };
  } else if (parseMode.toLowerCase() === "html") {
    try {
      parsed = parseHtml(raw);
    } catch (error) {
      if (error instanceof HtmlParseError) throw badRequest(`Can't parse entities: ${error.message}`);
      throw error;
    }
  } else {
    throw badRequest("Unsupported parse_mode");
  }

  const trimmed = trimParsedText(parsed);
  if (trimmed.text === "") throw badRequest("Message text is empty");
  if (trimmed.text.length > MAX_MESSAGE_LENGTH) throw badRequest("Message is too long");
  return trimmed;
}

/** Validates reply_markup; only inline keyboards are kept, as groups show nothing else on a bot's message. */
export function readReplyMarkup(context: MethodContext): unknown {
  const markup = context.params.json("reply_markup", "Can't parse reply keyboard markup JSON object");
  if (markup === undefined) return undefined;
  if (typeof markup !== "object" || markup === null || Array.isArray(markup)) {
    throw badRequest("Can't parse reply keyboard markup JSON object");
  }
  if (!("inline_keyboard" in markup)) return undefined;

  const rows = markup.inline_keyboard;
  if (!Array.isArray(rows) || !rows.every((row) => Array.isArray(row))) {
    throw badRequest("Field \"inline_keyboard\" of the InlineKeyboardMarkup must be an Array of Arrays");
  }
  for (const row of rows as unknown[][]) {
    for (const button of row) {
      if (typeof button !== "object" || button === null || typeof (button as { text?: unknown }).text !== "string") {
        throw badRequest("Can't find field \"text\"");
      }
      const keys = Object.keys(button).filter((key) => key !== "text");
      if (keys.length === 0) throw badRequest("Text buttons are unallowed in the inline keyboard");
    }
  }
  return markup;
}

export type ThreadPlacement = { message_thread_id?: number; is_topic_message: boolean };

/**
 * Places a new message from message_thread_id and the replied-to message. A forum topic gives
 * is_topic_message. A reply in General or a plain group carries the reply chain's root as its
 * thread id. That root is not a topic, so passing it back as message_thread_id fails.
 *
 * NOTE: Telegram lets an administrator with can_manage_topics post in a closed topic, so the
 * emulator does too; everyone else gets TOPIC_CLOSED.
 */
export function placeInThread(
  chat: Chat,
  threadId: number | undefined,
  repliedTo: StoredMessage | undefined,
  sender: Member | undefined,
): ThreadPlacement {
  if (threadId !== undefined) {
    const topic = chat.is_forum ? chat.topics.get(threadId) : undefined;
    if (topic === undefined || topic.deleted || threadId === GENERAL_THREAD_ID) {
      throw badRequest("Message thread not found");
    }
    if (topic.is_closed && !hasRight(sender, "can_manage_topics")) throw badRequest("TOPIC_CLOSED");
    return { message_thread_id: threadId, is_topic_message: true };
  }

  if (repliedTo === undefined) return { is_topic_message: false };
  if (repliedTo.is_topic_message && repliedTo.message_thread_id !== undefined) {
    return placeInThread(chat, repliedTo.message_thread_id, undefined, sender);
  }
  return { message_thread_id: repliedTo.message_thread_id ?? repliedTo.message_id, is_topic_message: false };
}
