// `tgk setup telegram` and `tgk setup github`: point Telegram and GitHub at a hub.
import { CliError, EXIT_OK, booleanOption, requiredOption, stringOption, type Command } from "../lib/command.ts";
import { maskSecret, registerSecret } from "../lib/output.ts";
import { BotApi, BotApiError, DEFAULT_API_ROOT, botApiHint, resolveToken } from "../lib/telegram.ts";
import { SANDBOX_HUB_URL, githubEndpoint } from "../hook/deliver.ts";
import { envArgs, findProjectRoot, readWranglerConfig, stageVars } from "../lib/project.ts";
import { formatCommand } from "../lib/process.ts";
import { COMMANDS } from "../../src/bot/command-list.ts";
import { HANDLED_EVENTS } from "../../src/github/changes/index.ts";

/** Updates the hub handles; anything else Telegram would send is left out. */
export const ALLOWED_UPDATES = ["message", "callback_query", "my_chat_member"];

/** Group commands the bot handles, as setMyCommands registers them. */
export const GROUP_COMMANDS = COMMANDS;

/** GitHub events the hub turns into card updates. */
export const GITHUB_EVENTS = [...HANDLED_EVENTS];

const SECRET_TOKEN = /^[A-Za-z0-9_-]{1,256}$/;

function hubPath(hubUrl: string, path: string): string {
  let url: URL;
  try {
    url = new URL(hubUrl);
  } catch {
    throw new CliError(`invalid --url ${JSON.stringify(hubUrl)}: expected the hub's absolute URL`, { exitCode: 2 });
  }
  url.pathname = `${url.pathname.replace(/\/+$/, "")}${path}`;
  return url.toString();
}

export const setupTelegram: Command = {
  path: "setup telegram",
  usage: "--url <hub url> [--token <token>] [--secret <secret>] [--api-root <url>]",
  summary: "Register the hub's /telegram webhook (setWebhook) and the group commands (setMyCommands).",
  positionals: [0, 0],
  options: {
    url: { type: "string", valueName: "<hub url>", description: "Hub base URL; the webhook becomes <hub url>/telegram." },
    token: { type: "string", valueName: "<token>", description: "Bot token (default: env TELEGRAM_BOT_TOKEN)." },
    secret: { type: "string", valueName: "<secret>", description: "Webhook secret_token, the hub's TELEGRAM_WEBHOOK_SECRET (default: env TELEGRAM_WEBHOOK_SECRET)." },
    "api-root": { type: "string", valueName: "<url>", description: "Bot API server.", default: DEFAULT_API_ROOT },
    "drop-pending-updates": { type: "boolean", description: "Discard updates Telegram queued for the previous webhook." },
  },
  details: `allowed_updates is set to ${ALLOWED_UPDATES.join(", ")}. Commands are registered for the all_group_chats scope: ${GROUP_COMMANDS.map((c) => "/" + c.command).join(", ")}. Telegram requires an https webhook URL on port 443, 80, 88 or 8443; the local emulator accepts http.`,

  async run({ values, out }) {
    const path = "setup telegram";
    const hubUrl = requiredOption(values, "url", path);
    const token = resolveToken(stringOption(values, "token"));
    const secret = stringOption(values, "secret") ?? process.env.TELEGRAM_WEBHOOK_SECRET;
    registerSecret(secret);
    if (!secret) {
      throw new CliError("missing webhook secret", {
        hint: "Pass --secret or set TELEGRAM_WEBHOOK_SECRET to the value stored with `npx wrangler secret put TELEGRAM_WEBHOOK_SECRET`.",
        exitCode: 2,
      });
    }
    if (!SECRET_TOKEN.test(secret)) {
      throw new CliError("invalid webhook secret: Telegram accepts 1-256 characters of A-Z, a-z, 0-9, _ and -", { exitCode: 2 });
    }
    const webhookUrl = hubPath(hubUrl, "/telegram");
    const api = new BotApi(stringOption(values, "api-root") ?? DEFAULT_API_ROOT, token);

    const progress = out.progress(`Setting the webhook to ${webhookUrl}`);
    try {
      await api.call("setWebhook", {
        url: webhookUrl,
        secret_token: secret,
        allowed_updates: ALLOWED_UPDATES,
        drop_pending_updates: booleanOption(values, "drop-pending-updates"),
      });
      progress.update("Registering group commands");
      await api.call("setMyCommands", { commands: GROUP_COMMANDS, scope: { type: "all_group_chats" } });
      progress.succeed("Webhook and group commands set");
    } catch (error) {
      progress.fail();
      if (error instanceof BotApiError) throw new CliError(error.message, { hint: botApiHint(error) ?? "Fix the value Telegram named and run setup again." });
      throw error;
    }

    out.line(`Webhook: ${webhookUrl} (secret ${maskSecret(secret)}, updates: ${ALLOWED_UPDATES.join(", ")})`);
    out.line(`Commands for group chats: ${GROUP_COMMANDS.map((c) => "/" + c.command).join(" ")}`);
    out.line("Check delivery with `tgk doctor`.");
    out.result({ ok: true, webhook_url: webhookUrl, allowed_updates: ALLOWED_UPDATES, commands: GROUP_COMMANDS, scope: "all_group_chats" });
    return EXIT_OK;
  },
};

export const setupGithub: Command = {
  path: "setup github",
  usage: "--repo <owner/name> --stream <name> [--url <hub url>] [--stage <name>]",
  summary: "Print the webhook settings to enter in a GitHub repository for one stream.",
  positionals: [0, 0],
  options: {
    repo: { type: "string", valueName: "<owner/name>", description: "Repository that sends the deliveries." },
    stream: { type: "string", valueName: "<name>", description: "Stream (a key of STREAMS) whose card the deliveries update." },
    url: { type: "string", valueName: "<hub url>", description: "Hub base URL GitHub can reach.", default: SANDBOX_HUB_URL },
    stage: { type: "string", valueName: "<name>", description: "Stage whose STREAMS and secret to name (default: the top-level Worker)." },
  },
  details: "GitHub cannot reach a loopback address; for the sandbox use `tgk hook simulate` instead.",

  async run({ values, out, cwd }) {
    const path = "setup github";
    const repository = requiredOption(values, "repo", path);
    if (!/^[\w.-]+\/[\w.-]+$/.test(repository)) throw new CliError(`invalid --repo ${JSON.stringify(repository)}: expected owner/name`, { exitCode: 2 });
    const stream = requiredOption(values, "stream", path);
    const stage = stringOption(values, "stage");
    const hubUrl = stringOption(values, "url") ?? SANDBOX_HUB_URL;
    const payloadUrl = githubEndpoint(hubUrl, stream);

    const streams = stageVars(readWranglerConfig(findProjectRoot(cwd)).config, stage).STREAMS;
    const known = typeof streams === "object" && streams !== null ? Object.keys(streams) : [];
    if (!known.includes(stream)) {
      out.note(`warning: stream ${stream} is not in STREAMS (${known.length > 0 ? known.join(", ") : "none configured"}); the hub stores its deliveries but publishes no card until it is added there or bound with /bind.`);
    }
    if (/^https?:\/\/(127\.|localhost|\[::1\])/.test(payloadUrl)) {
      out.note("warning: GitHub cannot deliver to a loopback address; pass --url with the deployed hub's URL.");
    }

    const secretCommand = formatCommand("npx", ["wrangler", "secret", "put", "GITHUB_WEBHOOK_SECRET", ...envArgs(stage)]);
    out.line(`Add a webhook at https://github.com/${repository}/settings/hooks/new with:`);
    out.line(`  Payload URL:   ${payloadUrl}`);
    out.line("  Content type:  application/json");
    out.line(`  Secret:        the value stored with \`${secretCommand}\` (generate one with \`openssl rand -hex 32\`)`);
    out.line("  SSL:           enable verification");
    out.line(`  Events:        "Let me select individual events": ${GITHUB_EVENTS.join(", ")}`);
    out.line(`Then check it with \`tgk hook simulate ${stream} --url ${hubUrl} --secret <secret> --pr 1 --action opened\`, or redeliver the ping from GitHub.`);
    out.result({ ok: true, repository, stream, payload_url: payloadUrl, content_type: "application/json", secret: "GITHUB_WEBHOOK_SECRET", events: GITHUB_EVENTS, settings_url: `https://github.com/${repository}/settings/hooks/new` });
    return EXIT_OK;
  },
};
