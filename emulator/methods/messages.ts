/** sendMessage, editMessageText and deleteMessage. */

import { badRequest } from "../errors.ts";
import { apiMessage } from "../serialize.ts";
import { nowSeconds } from "../world.ts";
import type { MethodContext } from "./common.ts";
import {
  botMember, hasRight, messageIdParam, placeInThread, readMessageText, readReplyMarkup, requireSendRights,
  resolveChat,
} from "./common.ts";

/** Reads the replied-to message id from reply_parameters or the older reply_to_message_id. */
function replyToParam(context: MethodContext): number | undefined {
  const replyParameters = context.params.json("reply_parameters", "Can't parse reply parameters JSON object");
  if (typeof replyParameters === "object" && replyParameters !== null && "message_id" in replyParameters) {
    const id = Number(replyParameters.message_id);
    return Number.isInteger(id) ? id : Number.NaN;
  }
  return context.params.integer("reply_to_message_id");
}

export function sendMessage(context: MethodContext): unknown {
  const { emulator, params } = context;
  const { world } = emulator;
  const chat = resolveChat(context);
  requireSendRights(context, chat);

  const { text, entities } = readMessageText(context);
  const replyMarkup = readReplyMarkup(context);

  const replyToId = replyToParam(context);
  const repliedTo = world.liveMessage(chat, replyToId);
  if (replyToId !== undefined && repliedTo === undefined) throw badRequest("Message to be replied not found");
  const placement = placeInThread(chat, params.integer("message_thread_id"), repliedTo, botMember(context, chat));

  emulator.rateLimiter.check(chat.id);
  const message = world.addMessage(chat, {
    from: world.bot,
    text,
    entities,
    ...placement,
    ...(replyMarkup === undefined ? {} : { reply_markup: replyMarkup }),
    ...(repliedTo === undefined ? {} : { reply_to_message_id: repliedTo.message_id }),
  });
  emulator.rateLimiter.record(chat.id);
  return apiMessage(world, chat, message);
}

export function editMessageText(context: MethodContext): unknown {
  const { emulator, params } = context;
  const { world } = emulator;
  if (params.has("inline_message_id")) throw badRequest("Inline messages are not supported by the emulator");
  const chat = resolveChat(context);
  if (!params.has("message_id")) throw badRequest("Message identifier is not specified");

  const message = world.liveMessage(chat, messageIdParam(context));
  if (message === undefined) throw badRequest("Message to edit not found");
  if (message.from.id !== world.bot.id || message.service !== undefined) throw badRequest("Message can't be edited");

  const { text, entities } = readMessageText(context);
  // Leaving reply_markup out removes the inline keyboard, as in Telegram.
  const replyMarkup = readReplyMarkup(context);

  const sameContent = text === message.text && JSON.stringify(entities) === JSON.stringify(message.entities);
  const sameMarkup = JSON.stringify(replyMarkup) === JSON.stringify(message.reply_markup);
  if (sameContent && sameMarkup) {
    throw badRequest(
      "Message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message",
    );
  }

  emulator.rateLimiter.check(chat.id);
  message.text = text;
  message.entities = entities;
  message.edit_date = nowSeconds();
  if (replyMarkup === undefined) delete message.reply_markup;
  else message.reply_markup = replyMarkup;
  emulator.rateLimiter.record(chat.id);
  return apiMessage(world, chat, message);
}

/**
 * Deletes a message. The bot may delete its own messages, the pin service messages included, and
 * others' messages only with can_delete_messages; creation service messages stay.
 */
export function deleteMessage(context: MethodContext): unknown {
  const { world } = context.emulator;
  const chat = resolveChat(context);

  const message = world.liveMessage(chat, messageIdParam(context));
  if (message === undefined) throw badRequest("Message to delete not found");
  if (message.service === "chat_created" || message.service === "topic_created") {
    throw badRequest("Message can't be deleted");
  }

  const ownMessage = message.from.id === world.bot.id;
  if (!ownMessage && !hasRight(botMember(context, chat), "can_delete_messages")) {
    throw badRequest("Message can't be deleted");
  }
  world.deleteMessage(chat, message);
  return true;
}
