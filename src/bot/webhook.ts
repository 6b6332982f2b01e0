/**
 * `POST /telegram`: Telegram's updates, through grammY's Workers adapter. The secret header is
 * checked in constant time first; bot info comes from config, so no request calls getMe.
 */
import { Bot, webhookCallback } from "grammy";
import type { UserFromGetMe } from "@grammyjs/types";
import type { Config } from "../config.ts";
import { errorResponse, secretsEqual } from "../http.ts";
import { log } from "../log.ts";
import { BOT_API_TIMEOUT_SECONDS } from "../telegram/bot-api.ts";
import { commands } from "./commands.ts";
import { chatAgent, isKnownChat } from "./topics.ts";

const SECRET_HEADER = "x-telegram-bot-api-secret-token";
/** Telegram does not send updates this large; anything bigger is not Telegram. */
const MAX_UPDATE_BYTES = 1024 * 1024;

type UpdateHandler = (request: Request) => Promise<Response>;
const handlers = new WeakMap<Config, UpdateHandler>();

function botInfo(config: Config): UserFromGetMe | undefined {
  if (config.botId === undefined || config.botUsername === "") return undefined;
  return {
    id: config.botId,
    is_bot: true,
    first_name: config.botUsername,
    username: config.botUsername,
    can_join_groups: true,
    can_read_all_group_messages: false,
    supports_inline_queries: false,
    can_connect_to_business: false,
    has_main_web_app: false,
    has_topics_enabled: false,
    allows_users_to_create_topics: false,
    can_manage_bots: false,
    supports_join_request_queries: false,
  };
}

function createBot(env: Env, config: Config): Bot {
  const info = botInfo(config);
  // Without BOT_ID and BOT_USERNAME grammY calls getMe once per isolate, on the first update.
  const bot = new Bot(config.telegramBotToken, {
    ...(info !== undefined ? { botInfo: info } : {}),
    client: { apiRoot: config.telegramApiRoot, timeoutSeconds: BOT_API_TIMEOUT_SECONDS },
  });

  // Errors are logged and the update gets 200, because Telegram would otherwise redeliver it for hours.
  bot.use(async (ctx, next) => {
    try {
      await next();
    } catch (error) {
      log({ msg: "update failed", level: "error", update_id: ctx.update.update_id, chat_id: ctx.chat?.id, description: error instanceof Error ? error.message : String(error) });
    }
  });

  bot.use(async (ctx, next) => {
    const chatId = ctx.chat?.id;
    if (chatId === undefined || !(await isKnownChat(env, config, chatId))) {
      log({ msg: "update ignored: chat is not configured", update_id: ctx.update.update_id, chat_id: chatId });
      return;
    }
    await next();
  });

  bot.on("my_chat_member", async (ctx) => {
    const member = ctx.myChatMember.new_chat_member;
    const rights = member.status === "administrator" ? member : undefined;
    await chatAgent(env, ctx.chat.id).recordMembership({
      status: member.status,
      can_pin_messages: member.status === "creator" || rights?.can_pin_messages === true,
      can_delete_messages: member.status === "creator" || rights?.can_delete_messages === true,
      at: ctx.myChatMember.date * 1000,
    });
    log({ msg: "bot membership changed", level: member.status === "administrator" ? "info" : "warn", chat_id: ctx.chat.id, outcome: member.status, can_pin_messages: rights?.can_pin_messages ?? false });
  });

  bot.on("message:migrate_to_chat_id", async (ctx) => {
    const to = ctx.message.migrate_to_chat_id;
    await chatAgent(env, ctx.chat.id).recordMigration("to", to);
    await chatAgent(env, to).recordMigration("from", ctx.chat.id);
    log({ msg: "chat migrated", chat_id: ctx.chat.id, migrate_to_chat_id: to });
  });

  // The bot's own "pinned a message" service message: delete it to keep the topic clean.
  bot.on("message:pinned_message", async (ctx) => {
    if (ctx.from?.id !== ctx.me.id) return;
    await ctx.api.deleteMessage(ctx.chat.id, ctx.message.message_id).catch((error: unknown) => {
      log({ msg: "pin service message not deleted", level: "warn", chat_id: ctx.chat.id, message_id: ctx.message.message_id, description: String(error) });
    });
  });

  bot.use(commands(env, config));
  return bot;
}

export async function handleTelegramWebhook(request: Request, env: Env, config: Config): Promise<Response> {
  if (request.method !== "POST") {
    return errorResponse(405, `method ${request.method} is not allowed; Telegram delivers updates with POST`, { allow: "POST" });
  }
  if (config.telegramWebhookSecret === "" || config.telegramBotToken === "") {
    log({ msg: "update rejected: TELEGRAM_WEBHOOK_SECRET or TELEGRAM_BOT_TOKEN is not set", level: "error" });
    return errorResponse(503, "the hub has no TELEGRAM_WEBHOOK_SECRET or TELEGRAM_BOT_TOKEN; set them with `wrangler secret put`");
  }
  const secret = request.headers.get(SECRET_HEADER);
  if (secret === null || !(await secretsEqual(secret, config.telegramWebhookSecret))) {
    log({ msg: "update rejected: bad secret token", level: "warn", status: 401 });
    return errorResponse(401, secret === null ? "missing X-Telegram-Bot-Api-Secret-Token header" : "X-Telegram-Bot-Api-Secret-Token does not match");
  }

  const body = await request.text();
  if (body.length > MAX_UPDATE_BYTES) return errorResponse(413, `update is over the ${MAX_UPDATE_BYTES}-byte limit`);
  let update: unknown;
  try {
    update = JSON.parse(body);
  } catch {
    return errorResponse(400, "update is not valid JSON");
  }
  if (typeof update !== "object" || update === null || typeof (update as { update_id?: unknown }).update_id !== "number") {
    return errorResponse(400, "update must be a JSON object with a numeric update_id");
  }

  let handle = handlers.get(config);
  if (handle === undefined) {
    // The secret is checked above, so grammY gets the validated body without one.
    handle = webhookCallback(createBot(env, config), "cloudflare-mod", { onTimeout: "return" });
    handlers.set(config, handle);
  }
  return handle(new Request(request.url, { method: "POST", headers: { "content-type": "application/json" }, body }));
}
