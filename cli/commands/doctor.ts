// `tgk doctor`: validates a stage's config and checks through the Bot API that Telegram can reach the
// hub and that the bot can pin and clean up in every bound chat.
import { existsSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { EXIT_FAILED, EXIT_OK, booleanOption, stringOption, type Command } from "../lib/command.ts";
import type { Output } from "../lib/output.ts";
import { assertStageName, findProjectRoot, readWranglerConfig, stageLabel, stageVars } from "../lib/project.ts";
import { BotApi, BotApiError, botApiHint, resolveToken } from "../lib/telegram.ts";
import { ALLOWED_UPDATES } from "./setup.ts";
import { missingSecrets, secretPutCommand } from "../lib/wrangler.ts";

type CheckStatus = "ok" | "warn" | "fail" | "unverified";

interface Check {
  name: string;
  status: CheckStatus;
  detail: string;
}

interface StreamBinding {
  chat_id: number;
  message_thread_id?: number;
}

const STATUS_LABEL: Record<CheckStatus, string> = { ok: "ok  ", warn: "warn", fail: "FAIL", unverified: "n/a " };

/**
 * Validates vars with the hub's own parseConfig from src/config.ts, so the CLI and the Worker agree.
 * Falls back to a check of STREAMS alone when that module is missing or cannot load on Node.
 */
async function validateConfig(root: string, vars: Record<string, unknown>, checks: Check[]): Promise<Record<string, StreamBinding>> {
  const modulePath = join(root, "src", "config.ts");
  if (existsSync(modulePath)) {
    try {
      const module = (await import(pathToFileURL(modulePath).href)) as { parseConfig?: (vars: Record<string, unknown>) => { streams: Record<string, StreamBinding> } };
      if (typeof module.parseConfig === "function") {
        try {
          const config = module.parseConfig(vars);
          checks.push({ name: "config", status: "ok", detail: `vars pass src/config.ts parseConfig (${Object.keys(config.streams).length} streams)` });
          return config.streams;
        } catch (error) {
          checks.push({ name: "config", status: "fail", detail: error instanceof Error ? error.message : String(error) });
          return {};
        }
      }
    } catch (error) {
      const reason = error instanceof Error ? error.message.split("\n")[0] : String(error);
      checks.push({ name: "config", status: "warn", detail: `could not load src/config.ts on Node (${reason}); only STREAMS was checked` });
    }
  }

  const streams = vars.STREAMS;
  if (typeof streams !== "object" || streams === null || Array.isArray(streams)) {
    checks.push({ name: "config", status: "fail", detail: "STREAMS must be an object of stream name -> { chat_id, message_thread_id? }" });
    return {};
  }
  const valid: Record<string, StreamBinding> = {};
  for (const [name, binding] of Object.entries(streams as Record<string, unknown>)) {
    const value = binding as Partial<StreamBinding> | null;
    if (typeof value?.chat_id !== "number") {
      checks.push({ name: "config", status: "fail", detail: `STREAMS.${name}.chat_id must be a number such as -1001234567890` });
      continue;
    }
    valid[name] = value.message_thread_id === undefined ? { chat_id: value.chat_id } : { chat_id: value.chat_id, message_thread_id: value.message_thread_id };
  }
  return valid;
}

async function checkTelegram(api: BotApi, streams: Record<string, StreamBinding>, vars: Record<string, unknown>, probeTopics: boolean, checks: Check[]): Promise<void> {
  const me = await api.call<{ id: number; username?: string }>("getMe");
  const configuredId = String(vars.BOT_ID ?? "");
  const idMatches = configuredId === "" || configuredId === String(me.id);
  checks.push({
    name: "bot",
    status: idMatches ? "ok" : "fail",
    detail: idMatches ? `@${me.username ?? "?"} (id ${me.id})` : `the token belongs to bot ${me.id}, but BOT_ID is ${configuredId}`,
  });

  const webhook = await api.call<{ url: string; pending_update_count: number; last_error_date?: number; last_error_message?: string; allowed_updates?: string[] }>("getWebhookInfo");
  if (webhook.url === "") {
    checks.push({ name: "webhook", status: "fail", detail: "no webhook set; run `tgk setup telegram --url <hub url>`" });
  } else {
    const lastError = webhook.last_error_message
      ? `, last error ${webhook.last_error_date ? new Date(webhook.last_error_date * 1000).toISOString() : "at an unknown time"}: ${webhook.last_error_message}`
      : ", no delivery error";
    const missingUpdates = ALLOWED_UPDATES.filter((update) => webhook.allowed_updates !== undefined && !webhook.allowed_updates.includes(update));
    const pointsAtHub = webhook.url.endsWith("/telegram");
    let status: CheckStatus = "ok";
    if (webhook.last_error_message || webhook.pending_update_count > 0) status = "warn";
    if (!pointsAtHub || missingUpdates.length > 0) status = "fail";
    const problems = [
      pointsAtHub ? "" : "; the URL does not end in /telegram",
      missingUpdates.length > 0 ? `; allowed_updates lacks ${missingUpdates.join(", ")} (run \`tgk setup telegram\`)` : "",
    ].join("");
    checks.push({ name: "webhook", status, detail: `${webhook.url}, ${webhook.pending_update_count} pending${lastError}${problems}` });
  }

  const chats = new Map<number, string[]>();
  for (const [name, binding] of Object.entries(streams)) chats.set(binding.chat_id, [...(chats.get(binding.chat_id) ?? []), name]);

  for (const [chatId, names] of chats) {
    const label = `chat ${chatId} (${names.join(", ")})`;
    try {
      const chat = await api.call<{ title?: string; type: string; is_forum?: boolean }>("getChat", { chat_id: chatId });
      const needsForum = names.some((name) => streams[name]?.message_thread_id !== undefined);
      const forumProblem = needsForum && chat.is_forum !== true ? "; topics are bound but the chat is not a forum" : "";
      checks.push({ name: label, status: forumProblem ? "fail" : "ok", detail: `"${chat.title ?? ""}", ${chat.type}${chat.is_forum ? ", forum" : ""}${forumProblem}` });

      const member = await api.call<{ status: string; can_pin_messages?: boolean; can_delete_messages?: boolean; can_manage_topics?: boolean }>("getChatMember", { chat_id: chatId, user_id: me.id });
      const lacking = [member.can_pin_messages ? "" : "can_pin_messages", member.can_delete_messages ? "" : "can_delete_messages"].filter(Boolean);
      const isAdmin = member.status === "administrator" || member.status === "creator";
      checks.push({
        name: `${label} bot rights`,
        status: isAdmin && lacking.length === 0 ? "ok" : "fail",
        detail: isAdmin && lacking.length === 0
          ? `${member.status}, can_pin_messages, can_delete_messages`
          : `${member.status}${lacking.length > 0 ? `, lacks ${lacking.join(" and ")}` : ""}; make the bot an admin that may pin and delete messages`,
      });
    } catch (error) {
      if (!(error instanceof BotApiError)) throw error;
      checks.push({ name: label, status: "fail", detail: `${error.message}${botApiHint(error) ? `; ${botApiHint(error)}` : ""}` });
    }
  }

  for (const [name, binding] of Object.entries(streams)) {
    const label = `stream ${name} topic`;
    if (binding.message_thread_id === undefined) {
      checks.push({ name: label, status: "ok", detail: `no message_thread_id: the card goes to chat ${binding.chat_id} without a topic (General or a plain group)` });
      continue;
    }
    if (!probeTopics) {
      checks.push({
        name: label,
        status: "unverified",
        detail: `topic ${binding.message_thread_id}: the Bot API has no method that reads a forum topic by id, so a deleted or closed topic shows up only when a send fails; pass --probe-topics to test it with sendChatAction`,
      });
      continue;
    }
    try {
      await api.call("sendChatAction", { chat_id: binding.chat_id, message_thread_id: binding.message_thread_id, action: "typing" });
      checks.push({ name: label, status: "ok", detail: `topic ${binding.message_thread_id} accepts messages (sendChatAction); a closed topic may still pass this probe` });
    } catch (error) {
      if (!(error instanceof BotApiError)) throw error;
      checks.push({ name: label, status: "fail", detail: `topic ${binding.message_thread_id}: ${error.message}` });
    }
  }
}

function printChecks(checks: Check[], out: Output): void {
  for (const check of checks) out.line(`[${STATUS_LABEL[check.status]}] ${check.name}: ${check.detail}`);
}

export const doctor: Command = {
  path: "doctor",
  usage: "[--stage <name>] [--token <token>] [--api-root <url>] [--probe-topics] [--check-secrets]",
  summary: "Validate a stage's config, the Telegram webhook, the bot's rights in each bound chat and each stream's topic.",
  positionals: [0, 0],
  options: {
    stage: { type: "string", valueName: "<name>", description: "Stage whose vars to check; without it, the top-level vars." },
    token: { type: "string", valueName: "<token>", description: "Bot token (default: env TELEGRAM_BOT_TOKEN)." },
    "api-root": { type: "string", valueName: "<url>", description: "Bot API server (default: the stage's TELEGRAM_API_ROOT)." },
    "probe-topics": { type: "boolean", description: "Send a 'typing' chat action into each bound topic to confirm it exists (members see it for up to 5 s)." },
    "check-secrets": { type: "boolean", description: "Also list the stage's secrets with `wrangler secret list`." },
  },
  details: [
    "Bot API calls: getMe, getWebhookInfo (URL, pending update count, last error), getChat and getChatMember",
    "for the bot in each chat named in STREAMS. Not verifiable through the Bot API: whether a topic still",
    "exists or is closed (only --probe-topics tests it, by sending a chat action), and the contents of the",
    "hub's secrets. Exit status 1 when any check is FAIL; warn and n/a rows do not fail the run.",
  ].join("\n"),

  async run({ values, out, cwd }) {
    const stage = stringOption(values, "stage");
    if (stage !== undefined) assertStageName(stage);
    const root = findProjectRoot(cwd);
    const vars = stageVars(readWranglerConfig(root).config, stage);
    const checks: Check[] = [];

    const progress = out.progress(`Checking ${stageLabel(stage)}`);
    const streams = await validateConfig(root, vars, checks);
    if (Object.keys(streams).length === 0 && !checks.some((check) => check.status === "fail")) {
      checks.push({ name: "streams", status: "warn", detail: "STREAMS is empty: no delivery can reach a topic; add stream -> { chat_id, message_thread_id }" });
    }

    if (booleanOption(values, "check-secrets")) {
      const missing = await missingSecrets(root, stage);
      checks.push(
        missing.length === 0
          ? { name: "secrets", status: "ok", detail: "GITHUB_WEBHOOK_SECRET, TELEGRAM_BOT_TOKEN and TELEGRAM_WEBHOOK_SECRET are set" }
          : { name: "secrets", status: "fail", detail: `missing ${missing.join(", ")}; set with ${missing.map((name) => `\`${secretPutCommand(name, stage)}\``).join(", ")}` },
      );
    }

    const token = resolveToken(stringOption(values, "token"));
    const configuredRoot = typeof vars.TELEGRAM_API_ROOT === "string" && vars.TELEGRAM_API_ROOT !== "" ? vars.TELEGRAM_API_ROOT : undefined;
    const api = new BotApi(stringOption(values, "api-root") ?? configuredRoot ?? "https://api.telegram.org", token);
    try {
      await checkTelegram(api, streams, vars, booleanOption(values, "probe-topics"), checks);
    } catch (error) {
      if (!(error instanceof BotApiError)) {
        progress.fail();
        throw error;
      }
      checks.push({ name: error.method, status: "fail", detail: `${error.message}${botApiHint(error) ? `; ${botApiHint(error)}` : ""}` });
    }

    const failed = checks.filter((check) => check.status === "fail").length;
    if (failed > 0) progress.fail(`${failed} of ${checks.length} checks failed`);
    else progress.succeed(`${checks.length} checks passed or could not be verified`);
    printChecks(checks, out);
    out.result({ ok: failed === 0, stage: stage ?? null, checks });
    return failed === 0 ? EXIT_OK : EXIT_FAILED;
  },
};
