/**
 * The fixed sandbox world the local sandbox and the Worker tests run against: one bot, one forum
 * supergroup with two topics, and three people.
 */

import type { Rights, User } from "./world.ts";
import { World } from "./world.ts";

export const SANDBOX_BOT = {
  id: 7000000001,
  username: "tgk_sandbox_bot",
  first_name: "tgk sandbox",
  token: "7000000001:sandbox-token",
} as const;

export const SANDBOX_CHAT_ID = -1001234567890;
export const SANDBOX_CHAT_TITLE = "tgk sandbox";

/** Topic name to message_thread_id: the ids of the creation messages 2 and 3, after message 1. */
export const SANDBOX_TOPICS = { "forum-polish": 2, "mobile-app": 3 } as const;

export const SANDBOX_USERS = {
  owner: { id: 100, username: "alice", first_name: "Alice", status: "creator" },
  admin: { id: 101, username: "dana", first_name: "Dana", status: "administrator" },
  member: { id: 200, username: "bob", first_name: "Bob", status: "member" },
} as const;

/** Rights the sandbox bot holds, and the default for a bot in a chat made by POST /__emulator/chats. */
export const DEFAULT_BOT_RIGHTS: Rights = {
  can_manage_chat: true,
  can_pin_messages: true,
  can_delete_messages: true,
  can_manage_topics: true,
};

export const DEFAULT_ADMIN_RIGHTS: Rights = {
  can_manage_chat: true,
  can_delete_messages: true,
  can_pin_messages: true,
  can_manage_topics: true,
  can_restrict_members: true,
  can_invite_users: true,
};

export function botUser(): User {
  return { id: SANDBOX_BOT.id, is_bot: true, first_name: SANDBOX_BOT.first_name, username: SANDBOX_BOT.username };
}

export function personUser(person: { id: number; username: string; first_name: string }): User {
  return { id: person.id, is_bot: false, first_name: person.first_name, username: person.username };
}

/** Builds a world with the bot and the three people; "sandbox" adds the forum chat too. */
export function createSeedWorld(seed: "sandbox" | "empty"): World {
  const world = new World(botUser(), SANDBOX_BOT.token);
  for (const person of Object.values(SANDBOX_USERS)) world.users.set(person.id, personUser(person));
  if (seed === "empty") return world;

  const chat = world.createChat({
    id: SANDBOX_CHAT_ID,
    title: SANDBOX_CHAT_TITLE,
    type: "supergroup",
    is_forum: true,
    creator: personUser(SANDBOX_USERS.owner),
  });
  addDefaultMembers(world, chat.id);
  world.setMember(chat, world.bot, "administrator", DEFAULT_BOT_RIGHTS);

  const owner = personUser(SANDBOX_USERS.owner);
  for (const name of Object.keys(SANDBOX_TOPICS)) world.createTopic(chat, name, owner);
  return world;
}

/** Adds the admin and the plain member of SANDBOX_USERS to a chat whose owner is already set. */
export function addDefaultMembers(world: World, chatId: number): void {
  const chat = world.chats.get(chatId);
  if (chat === undefined) return;
  world.setMember(chat, personUser(SANDBOX_USERS.admin), "administrator", DEFAULT_ADMIN_RIGHTS);
  world.setMember(chat, personUser(SANDBOX_USERS.member), "member", {});
}
