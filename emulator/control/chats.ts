/** Control endpoints that change chats as people would: chats, topics, members, hand deletes and upgrades. */

import type { Emulator } from "../core.ts";
import { badRequest } from "../errors.ts";
import { addDefaultMembers, DEFAULT_BOT_RIGHTS, personUser, SANDBOX_USERS } from "../sandbox.ts";
import { apiChat, apiChatMember } from "../serialize.ts";
import { chatState } from "../state.ts";
import type { DeliveryResult } from "../webhook.ts";
import type { Chat, MemberStatus, User } from "../world.ts";
import { GENERAL_THREAD_ID, nowSeconds } from "../world.ts";
import type { Body } from "./input.ts";
import { chatField, integerField, oneOf, rightsField, stringField } from "./input.ts";

/**
 * Creates a chat owned by alice with dana as administrator and bob as member. bot_rights left out
 * makes the bot an administrator with the sandbox rights; null leaves the bot out; an object with
 * `status: "member"` makes it a plain member.
 */
export function createChat(emulator: Emulator, body: Body): unknown {
  const { world } = emulator;
  const title = stringField(body, "title");
  const type = oneOf(body, "type", ["supergroup", "group"] as const);
  const isForum = body.is_forum === true;
  if (isForum && type !== "supergroup") throw badRequest("Only a supergroup can be a forum");

  const topicNames = body.topics ?? [];
  if (!Array.isArray(topicNames) || !topicNames.every((name) => typeof name === "string" && name !== "")) {
    throw badRequest("Field \"topics\" must be a list of topic names");
  }
  if (topicNames.length > 0 && !isForum) throw badRequest("Topics need is_forum: true");

  const owner = personUser(SANDBOX_USERS.owner);
  const chat = world.createChat({ title, type, is_forum: isForum, creator: owner });
  addDefaultMembers(world, chat.id);

  if (body.bot_rights === undefined) {
    world.setMember(chat, world.bot, "administrator", DEFAULT_BOT_RIGHTS);
  } else if (body.bot_rights !== null) {
    const rights = rightsField(body.bot_rights, "bot_rights");
    const status = (body.bot_rights as Body).status === "member" ? "member" : "administrator";
    world.setMember(chat, world.bot, status, rights);
  }

  for (const name of topicNames as string[]) world.createTopic(chat, name, owner);
  return chatState(chat);
}

export function changeTopic(emulator: Emulator, body: Body): unknown {
  const { world } = emulator;
  const chat = chatField(emulator, body);
  const action = oneOf(body, "action", ["create", "close", "reopen", "delete"] as const);
  if (!chat.is_forum) throw badRequest("The chat is not a forum");

  if (action === "create") {
    const topic = world.createTopic(chat, stringField(body, "name"), personUser(SANDBOX_USERS.owner));
    return { ...topic, pinned_message_ids: [...topic.pinned_message_ids] };
  }

  const threadId = integerField(body, "message_thread_id");
  const topic = chat.topics.get(threadId);
  if (topic === undefined || topic.deleted) throw badRequest("Message thread not found");

  if (action === "close") topic.is_closed = true;
  if (action === "reopen") topic.is_closed = false;
  if (action === "delete") {
    if (threadId === GENERAL_THREAD_ID) throw badRequest("The General topic can't be deleted");
    topic.deleted = true;
    for (const message of chat.messages.values()) {
      if (message.is_topic_message && message.message_thread_id === threadId) world.deleteMessage(chat, message);
    }
  }
  return { ...topic, pinned_message_ids: [...topic.pinned_message_ids] };
}

export function deleteByHand(emulator: Emulator, body: Body): unknown {
  const chat = chatField(emulator, body);
  const message = emulator.world.liveMessage(chat, integerField(body, "message_id"));
  if (message === undefined) throw badRequest("Message to delete not found");
  emulator.world.deleteMessage(chat, message);
  return { ok: true };
}

export function unpinByHand(emulator: Emulator, body: Body): unknown {
  const chat = chatField(emulator, body);
  const message = emulator.world.liveMessage(chat, integerField(body, "message_id"));
  if (message === undefined) throw badRequest("Message to unpin not found");
  emulator.world.unpin(chat, message.message_id);
  return { ok: true };
}

function chatOwner(emulator: Emulator, chat: Chat): User {
  const owner = [...chat.members.values()].find((member) => member.status === "creator");
  return (owner === undefined ? undefined : emulator.world.users.get(owner.user_id)) ?? personUser(SANDBOX_USERS.owner);
}

/** Sets anyone's status; a change to the bot's own status sends a my_chat_member update. */
export async function changeMember(emulator: Emulator, body: Body): Promise<unknown> {
  const { world } = emulator;
  const chat = chatField(emulator, body);
  const userId = integerField(body, "user_id");
  const status = oneOf(body, "status", ["creator", "administrator", "member", "left", "kicked"] as const);
  const rights = rightsField(body.rights, "rights");

  const user = world.users.get(userId) ?? { id: userId, is_bot: false, first_name: `User ${userId}` };
  const previous = world.memberOf(chat, userId) ?? { user_id: userId, status: "left" as MemberStatus, rights: {} };
  const oldMember = apiChatMember(world, chat, previous);
  const member = world.setMember(chat, user, status, rights);
  const newMember = apiChatMember(world, chat, member);

  let delivery: DeliveryResult | null = null;
  if (userId === world.bot.id) {
    delivery = await emulator.webhook.deliver("my_chat_member", {
      chat: apiChat(chat),
      from: chatOwner(emulator, chat),
      date: nowSeconds(),
      old_chat_member: oldMember,
      new_chat_member: newMember,
    });
  }
  return { chat_member: newMember, delivery };
}

/** Turns a basic group into a supergroup with a new id; the old id then fails with migrate_to_chat_id. */
export function upgradeGroup(emulator: Emulator, body: Body): unknown {
  const { world } = emulator;
  const group = chatField(emulator, body);
  if (group.type !== "group") throw badRequest("Only a basic group can be upgraded");

  const supergroup = world.createChat({ title: group.title, type: "supergroup", is_forum: false, creator: chatOwner(emulator, group) });
  for (const member of group.members.values()) {
    const user = world.users.get(member.user_id);
    if (user !== undefined && member.status !== "creator") world.setMember(supergroup, user, member.status, member.rights);
  }

  world.chats.delete(group.id);
  world.migrations.set(group.id, supergroup.id);
  return { migrate_from_chat_id: group.id, migrate_to_chat_id: supergroup.id, chat: chatState(supergroup) };
}
