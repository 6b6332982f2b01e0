/** Routes /__emulator/* control requests; each handler returns the JSON to send. */

import type { Emulator } from "../core.ts";
import { badRequest, NOT_FOUND } from "../errors.ts";
import type { Fault } from "../faults.ts";
import { emulatorState } from "../state.ts";
import { changeMember, changeTopic, createChat, deleteByHand, unpinByHand, upgradeGroup } from "./chats.ts";
import type { Body } from "./input.ts";
import { asBody, optionalIntegerField } from "./input.ts";
import { pressButton, sendAsUser } from "./updates.ts";

type ControlHandler = (emulator: Emulator, body: Body) => unknown;

const POST_ROUTES: Record<string, ControlHandler> = {
  "/__emulator/faults": addFault,
  "/__emulator/reset": (emulator) => {
    emulator.reset();
    return { ok: true };
  },
  "/__emulator/chats": createChat,
  "/__emulator/topics": changeTopic,
  "/__emulator/messages/delete": deleteByHand,
  "/__emulator/messages/unpin": unpinByHand,
  "/__emulator/members": changeMember,
  "/__emulator/upgrade": upgradeGroup,
  "/__emulator/config": configure,
  "/__emulator/send": sendAsUser,
  "/__emulator/press": pressButton,
};

/** Runs one control request; throws BotApiError for a bad request or an unknown path. */
export async function handleControl(emulator: Emulator, method: string, path: string, body: unknown): Promise<unknown> {
  if (method === "GET" && path === "/__emulator/state") return emulatorState(emulator);
  if (method === "DELETE" && path === "/__emulator/faults") {
    emulator.faults.clear();
    return { ok: true };
  }

  const handler = method === "POST" ? POST_ROUTES[path] : undefined;
  if (handler === undefined) throw NOT_FOUND;
  return handler(emulator, asBody(body ?? {}));
}

/** Queues a fault for the next `count` calls of `method` ("*" for any). */
function addFault(emulator: Emulator, body: Body): unknown {
  const method = body.method === undefined ? "*" : body.method;
  if (typeof method !== "string" || method === "") throw badRequest("Field \"method\" must be a method name or \"*\"");

  const count = optionalIntegerField(body, "count") ?? 1;
  if (count < 1) throw badRequest("Field \"count\" must be at least 1");
  const fault: Fault = { method, remaining: count };
  const chatId = optionalIntegerField(body, "chat_id");
  if (chatId !== undefined) fault.chat_id = chatId;

  const errorCode = optionalIntegerField(body, "error_code");
  if (errorCode !== undefined) fault.error_code = errorCode;
  if (body.description !== undefined) {
    if (typeof body.description !== "string") throw badRequest("Field \"description\" must be a string");
    fault.description = body.description;
  }
  if (body.parameters !== undefined) fault.parameters = asBody(body.parameters);
  if (body.hang === true) fault.hang = true;
  if (body.network === true) fault.network = true;
  const delayMs = optionalIntegerField(body, "delay_ms");
  if (delayMs !== undefined) {
    if (delayMs < 0) throw badRequest("Field \"delay_ms\" must not be negative");
    fault.delay_ms = delayMs;
  }

  const kinds = [fault.error_code !== undefined || fault.description !== undefined, fault.hang, fault.network, delayMs !== undefined];
  if (!kinds.some(Boolean)) {
    throw badRequest("A fault needs error_code or description, hang, network or delay_ms");
  }
  emulator.faults.add(fault);
  return { ok: true };
}

function configure(emulator: Emulator, body: Body): unknown {
  const limit = optionalIntegerField(body, "rate_limit_per_minute");
  if (limit !== undefined) {
    if (limit < 0) throw badRequest("Field \"rate_limit_per_minute\" must be 0 (no limit) or more");
    emulator.rateLimiter.limitPerMinute = limit;
  }
  return { ok: true, rate_limit_per_minute: emulator.rateLimiter.limitPerMinute };
}
