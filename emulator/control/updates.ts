/** Control endpoints that act as people in a chat and deliver the resulting updates to the webhook. */

import type { Emulator } from "../core.ts";
import { badRequest } from "../errors.ts";
import type { MessageEntity } from "../html.ts";
import { placeInThread } from "../methods/common.ts";
import { DEFAULT_ADMIN_RIGHTS } from "../sandbox.ts";
import { ANONYMOUS_ADMIN, apiMessage } from "../serialize.ts";
import type { Chat, Member, User } from "../world.ts";
import type { Body } from "./input.ts";
import { asBody, chatField, integerField, optionalIntegerField, stringField } from "./input.ts";

/** A command at the start of the text or after a non-word character, optionally addressed `/cmd@bot`. */
const BOT_COMMAND = /(?<![\p{L}\p{N}_/])\/[A-Za-z0-9_]{1,32}(?:@[A-Za-z0-9_]{3,32})?(?![A-Za-z0-9_@])/gu;

export function botCommandEntities(text: string): MessageEntity[] {
  return [...text.matchAll(BOT_COMMAND)].map((match) => ({
    type: "bot_command",
    offset: match.index,
    length: match[0].length,
  }));
}

/** Reads `from`, records the user and makes them a member (or administrator with is_admin). */
function senderField(emulator: Emulator, chat: Chat, body: Body): { user: User; member: Member } {
  const { world } = emulator;
  const from = asBody(body.from);
  const id = integerField(from, "id");
  const username = typeof from.username === "string" ? from.username : undefined;
  const firstName = typeof from.first_name === "string" ? from.first_name : (username ?? `User ${id}`);

  const user: User = { id, is_bot: false, first_name: firstName, ...(username === undefined ? {} : { username }) };
  world.users.set(id, user);

  let member = world.memberOf(chat, id);
  if (from.is_admin === true && member?.status !== "creator" && member?.status !== "administrator") {
    member = world.setMember(chat, user, "administrator", DEFAULT_ADMIN_RIGHTS);
  }
  if (member === undefined || member.status === "left") member = world.setMember(chat, user, "member", {});
  if (member.status === "kicked") throw badRequest(`User ${id} was banned from the chat and can't send messages`);
  return { user, member };
}

/** Posts a message as a person (or as the anonymous admin) and delivers it as a `message` update. */
export async function sendAsUser(emulator: Emulator, body: Body): Promise<unknown> {
  const { world } = emulator;
  const chat = chatField(emulator, body);
  const text = stringField(body, "text");
  const { user, member } = senderField(emulator, chat, body);

  const senderChatId = optionalIntegerField(body, "sender_chat_id");
  if (senderChatId !== undefined && senderChatId !== chat.id) {
    throw badRequest("Field \"sender_chat_id\" must be the chat's own id, for an anonymous administrator");
  }

  const replyToId = optionalIntegerField(body, "reply_to_message_id");
  const repliedTo = world.liveMessage(chat, replyToId);
  if (replyToId !== undefined && repliedTo === undefined) throw badRequest("Message to be replied not found");
  const placement = placeInThread(chat, optionalIntegerField(body, "message_thread_id"), repliedTo, member);

  const message = world.addMessage(chat, {
    from: senderChatId === undefined ? user : ANONYMOUS_ADMIN,
    text,
    entities: botCommandEntities(text),
    ...placement,
    ...(senderChatId === undefined ? {} : { sender_chat_id: senderChatId }),
    ...(repliedTo === undefined ? {} : { reply_to_message_id: repliedTo.message_id }),
  });

  const apiValue = apiMessage(world, chat, message);
  const delivery = await emulator.webhook.deliver("message", apiValue);
  return { message: apiValue, ...delivery };
}

function hasCallbackButton(markup: unknown, data: string): boolean {
  if (typeof markup !== "object" || markup === null || !("inline_keyboard" in markup)) return false;
  const rows = markup.inline_keyboard;
  if (!Array.isArray(rows)) return false;
  return rows.some((row) => Array.isArray(row) && row.some((button) => button?.callback_data === data));
}

/** Presses an inline button of a message and delivers the `callback_query` update. */
export async function pressButton(emulator: Emulator, body: Body): Promise<unknown> {
  const { world } = emulator;
  const chat = chatField(emulator, body);
  const messageId = integerField(body, "message_id");
  const data = stringField(body, "data");
  const { user } = senderField(emulator, chat, body);

  const message = world.liveMessage(chat, messageId);
  if (message === undefined) throw badRequest(`Message ${messageId} not found in chat ${chat.id}`);
  if (!hasCallbackButton(message.reply_markup, data)) {
    throw badRequest(`Message ${messageId} has no inline button with callback_data ${JSON.stringify(data)}`);
  }

  const callbackQuery = {
    id: emulator.newCallbackQueryId(),
    from: user,
    message: apiMessage(world, chat, message),
    chat_instance: String(-chat.id),
    data,
  };
  const delivery = await emulator.webhook.deliver("callback_query", callbackQuery);
  return { callback_query: callbackQuery, ...delivery };
}
