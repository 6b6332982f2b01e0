/** getMe, setMyCommands, getMyCommands and answerCallbackQuery. */

import { badRequest } from "../errors.ts";
import type { MethodContext } from "./common.ts";

export const MAX_COMMANDS = 100;
const COMMAND_PATTERN = /^[a-z0-9_]{1,32}$/;

export function getMe(context: MethodContext): unknown {
  return {
    ...context.emulator.world.bot,
    can_join_groups: true,
    can_read_all_group_messages: false,
    supports_inline_queries: false,
    can_connect_to_business: false,
    has_main_web_app: false,
  };
}

/** Returns the key commands are stored under: the scope object and the language code. */
function commandsKey(context: MethodContext): string {
  const scope = context.params.json("scope", "Can't parse BotCommandScope JSON object") ?? { type: "default" };
  return `${JSON.stringify(scope)}|${context.params.string("language_code") ?? ""}`;
}

export function setMyCommands(context: MethodContext): unknown {
  const commands = context.params.json("commands", "Can't parse commands JSON object");
  if (!Array.isArray(commands)) throw badRequest("Can't parse commands JSON object");
  if (commands.length > MAX_COMMANDS) throw badRequest("Too many commands specified");

  for (const entry of commands as unknown[]) {
    const command = typeof entry === "object" && entry !== null ? (entry as Record<string, unknown>) : {};
    if (typeof command.command !== "string" || !COMMAND_PATTERN.test(command.command.replace(/^\//, ""))) {
      throw badRequest("BOT_COMMAND_INVALID");
    }
    const description = command.description;
    if (typeof description !== "string" || description.length < 1 || description.length > 256) {
      throw badRequest("BOT_COMMAND_DESCRIPTION_INVALID");
    }
  }

  const stored = (commands as Array<{ command: string; description: string }>).map((entry) => ({
    command: entry.command.replace(/^\//, ""),
    description: entry.description,
  }));
  context.emulator.commands.set(commandsKey(context), stored);
  return true;
}

export function getMyCommands(context: MethodContext): unknown {
  return context.emulator.commands.get(commandsKey(context)) ?? [];
}

/** Marks a callback query answered; a second call or an unknown id fails as in Telegram. */
export function answerCallbackQuery(context: MethodContext): unknown {
  const id = context.params.string("callback_query_id");
  const query = id === undefined ? undefined : context.emulator.callbackQueries.get(id);
  if (query === undefined || query.answered) {
    throw badRequest("Query is too old and response timeout expired or query ID is invalid");
  }

  query.answered = true;
  const text = context.params.string("text");
  if (text !== undefined) query.text = text;
  query.show_alert = context.params.boolean("show_alert");
  return true;
}
