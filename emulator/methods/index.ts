/** The Bot API methods the emulator implements, looked up case-insensitively as the Bot API server does. */

import { answerCallbackQuery, getMe, getMyCommands, setMyCommands } from "./bot.ts";
import { getChat, getChatAdministrators, getChatMember } from "./chats.ts";
import type { MethodHandler } from "./common.ts";
import { deleteMessage, editMessageText, sendMessage } from "./messages.ts";
import { pinChatMessage, unpinAllForumTopicMessages, unpinChatMessage } from "./pins.ts";
import { deleteWebhook, getWebhookInfo, setWebhook } from "./webhook.ts";

const HANDLERS: Record<string, MethodHandler> = {
  getMe, sendMessage, editMessageText, deleteMessage,
  pinChatMessage, unpinChatMessage, unpinAllForumTopicMessages,
  getChat, getChatMember, getChatAdministrators,
  setWebhook, getWebhookInfo, deleteWebhook,
  setMyCommands, getMyCommands, answerCallbackQuery,
};

const BY_LOWER_NAME = new Map(Object.entries(HANDLERS).map(([name, handler]) => [name.toLowerCase(), { name, handler }]));

/** Returns the method's canonical name and handler, or undefined for a method Telegram would 404. */
export function findMethod(name: string): { name: string; handler: MethodHandler } | undefined {
  return BY_LOWER_NAME.get(name.toLowerCase());
}
