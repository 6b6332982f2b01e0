/** Field readers for control endpoint bodies; a bad field is a 400 that names it. */

import { badRequest } from "../errors.ts";
import type { Emulator } from "../core.ts";
import type { Chat, Rights } from "../world.ts";
import { RIGHT_NAMES } from "../world.ts";

export type Body = Record<string, unknown>;

export function asBody(value: unknown): Body {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw badRequest("The control request body must be a JSON object");
  }
  return value as Body;
}

export function integerField(body: Body, name: string): number {
  const value = body[name];
  if (typeof value !== "number" || !Number.isInteger(value)) {
    throw badRequest(`Field "${name}" must be an integer, got ${JSON.stringify(value) ?? "nothing"}`);
  }
  return value;
}

export function optionalIntegerField(body: Body, name: string): number | undefined {
  return body[name] === undefined || body[name] === null ? undefined : integerField(body, name);
}

export function stringField(body: Body, name: string): string {
  const value = body[name];
  if (typeof value !== "string" || value === "") {
    throw badRequest(`Field "${name}" must be a non-empty string, got ${JSON.stringify(value) ?? "nothing"}`);
  }
  return value;
}

export function oneOf<T extends string>(body: Body, name: string, allowed: readonly T[]): T {
  const value = body[name];
  if (typeof value !== "string" || !allowed.includes(value as T)) {
    throw badRequest(`Field "${name}" must be one of ${allowed.join(", ")}, got ${JSON.stringify(value) ?? "nothing"}`);
  }
  return value as T;
}

/** Reads a rights object; unknown right names are rejected so a typo does not silently grant nothing. */
export function rightsField(value: unknown, name: string): Rights {
  if (value === undefined || value === null) return {};
  const body = asBody(value);
  const rights: Rights = {};
  for (const [key, granted] of Object.entries(body)) {
    if (key === "status") continue;
    if (!(RIGHT_NAMES as readonly string[]).includes(key) || typeof granted !== "boolean") {
      throw badRequest(`Field "${name}.${key}" is not a known right with a boolean value`);
    }
    rights[key as keyof Rights] = granted;
  }
  return rights;
}

/** Finds a chat by chat_id, with the migrate error for an upgraded group, like the Bot API. */
export function chatField(emulator: Emulator, body: Body): Chat {
  const chatId = integerField(body, "chat_id");
  const migratedTo = emulator.world.migrations.get(chatId);
  if (migratedTo !== undefined) {
    throw badRequest("Group chat was upgraded to a supergroup chat", { migrate_to_chat_id: migratedTo });
  }
  const chat = emulator.world.chats.get(chatId);
  if (chat === undefined) throw badRequest(`Chat not found: no chat has id ${chatId}`);
  return chat;
}
