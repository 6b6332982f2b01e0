/** getChat, getChatMember and getChatAdministrators. */

import { badRequest } from "../errors.ts";
import { apiChatFullInfo, apiChatMember } from "../serialize.ts";
import type { MethodContext } from "./common.ts";
import { resolveChat } from "./common.ts";

export function getChat(context: MethodContext): unknown {
  const chat = resolveChat(context);
  return apiChatFullInfo(context.emulator.world, chat);
}

/** Returns the member's ChatMember; a known user who never joined reads as "left". */
export function getChatMember(context: MethodContext): unknown {
  const { world } = context.emulator;
  const chat = resolveChat(context);

  const userId = context.params.integer("user_id");
  if (userId === undefined || Number.isNaN(userId) || userId <= 0) throw badRequest("Invalid user_id specified");
  if (!world.users.has(userId)) throw badRequest("User not found");

  const member = world.memberOf(chat, userId) ?? { user_id: userId, status: "left" as const, rights: {} };
  return apiChatMember(world, chat, member);
}

export function getChatAdministrators(context: MethodContext): unknown {
  const { world } = context.emulator;
  const chat = resolveChat(context);
  return [...chat.members.values()]
    .filter((member) => member.status === "creator" || member.status === "administrator")
    .map((member) => apiChatMember(world, chat, member));
}
