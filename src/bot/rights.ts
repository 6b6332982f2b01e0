/** Permission checks for forcing a repin or changing bindings from chat. */
import type { Context } from "grammy";
import type { Config } from "../config.ts";

/** Telegram's GroupAnonymousBot: the sender of messages by anonymous admins. */
export const ANONYMOUS_ADMIN_ID = 1087968824;

export type Permission = "admin" | "allowlist" | "denied";

/**
 * Checks the sender: chat admins (getChatMember `creator` or `administrator`), anonymous admins
 * (`sender_chat` is the chat itself) and, when `allowlist` is true, REPIN_USER_IDS.
 */
export async function senderPermission(ctx: Context, config: Config, allowlist: boolean): Promise<Permission> {
  const chat = ctx.chat;
  const from = ctx.from;
  if (chat === undefined || from === undefined) return "denied";

  const senderChat = ctx.message?.sender_chat;
  if (senderChat !== undefined) return senderChat.id === chat.id ? "admin" : "denied";
  if (from.id === ANONYMOUS_ADMIN_ID) return "denied";
  if (allowlist && config.repinUserIds.includes(from.id)) return "allowlist";

  try {
    const member = await ctx.api.getChatMember(chat.id, from.id);
    return member.status === "creator" || member.status === "administrator" ? "admin" : "denied";
  } catch {
    // When Telegram does not return the member, the sender is not treated as an admin.
    return "denied";
  }
}
