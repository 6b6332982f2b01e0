/**
 * Validated configuration of the hub, read once from the Worker's vars and secrets.
 *
 * Plain TypeScript with no Workers imports, so the CLI (`tgk doctor`) runs the same checks on Node.
 */

/** The forum topic (or plain group, without `message_thread_id`) that a stream's card lives in. */
export interface TopicBinding {
  chat_id: number;
  message_thread_id?: number;
}

/** A rule for `POST /github` without a stream in the path; the first match wins. */
export interface Route {
  stream: string;
  /** `owner/name`, compared case-insensitively. */
  repository?: string;
  /** Organization or user login, compared case-insensitively. */
  owner?: string;
  /** `X-GitHub-Event` value. */
  event?: string;
}

export type PublishMode = "card" | "relay";

export type LogLevel = "info" | "warn" | "error" | "silent";

export interface Config {
  defaultStream: string;
  debounceMs: number;
  maxWaitMs: number;
  telegramApiRoot: string;
  botUsername: string;
  botId: number | undefined;
  streams: Record<string, TopicBinding>;
  routes: Route[];
  repinUserIds: number[];
  /** Chats the bot acts in: those in STREAMS plus CHAT_IDS. */
  chatIds: ReadonlySet<number>;
  publishMode: PublishMode;
  logLevel: LogLevel;
  /** Serves /__debug/streams/* for the sandbox and load tests. */
  debugEndpoints: boolean;
  githubWebhookSecret: string;
  telegramBotToken: string;
  telegramWebhookSecret: string;
}

/** A configuration value that cannot be used; the message names the field and the fix. */
export class ConfigError extends Error {
  override name = "ConfigError";
  readonly field: string;

  constructor(field: string, problem: string) {
    super(`invalid configuration: ${field} ${problem}`);
    this.field = field;
  }
}

export const DEFAULT_DEBOUNCE_MS = 2_000;
export const DEFAULT_MAX_WAIT_MS = 15_000;
const MAX_DEBOUNCE_MS = 10 * 60_000;
const STREAM_NAME = /^[a-z0-9][a-z0-9._-]{0,62}$/;
const TELEGRAM_SECRET_TOKEN = /^[A-Za-z0-9_-]{1,256}$/;

/** Returns true when `name` can name a stream (lower case, digits, `.`, `_`, `-`, at most 63 chars). */
export function isStreamName(name: string): boolean {
  return STREAM_NAME.test(name);
}

/**
 * Parses and checks the Worker's vars and secrets.
 *
 * Accepts JSON values as wrangler.jsonc gives them and JSON-encoded strings as `--var` and the
 * dashboard give them. Throws ConfigError on the first bad field.
 */
export function parseConfig(vars: Record<string, unknown>): Config {
  const debounceMs = readInteger(vars, "DEBOUNCE_MS", DEFAULT_DEBOUNCE_MS, 0, MAX_DEBOUNCE_MS);
  const maxWaitMs = readInteger(vars, "MAX_WAIT_MS", DEFAULT_MAX_WAIT_MS, 0, MAX_DEBOUNCE_MS);
  if (maxWaitMs < debounceMs) {
    throw new ConfigError("MAX_WAIT_MS", `(${maxWaitMs}) must be at least DEBOUNCE_MS (${debounceMs})`);
  }

  const defaultStream = readString(vars, "DEFAULT_STREAM") || "forum-polish";
  if (!isStreamName(defaultStream)) {
    throw new ConfigError("DEFAULT_STREAM", `"${defaultStream}" is not a stream name (a-z, 0-9, . _ -)`);
  }

  const telegramApiRoot = (readString(vars, "TELEGRAM_API_ROOT") || "https://api.telegram.org").replace(/\/+$/, "");
  if (!/^https?:\/\/[^/]+/.test(telegramApiRoot)) {
    throw new ConfigError("TELEGRAM_API_ROOT", `"${telegramApiRoot}" must be an http(s) URL`);
  }

  const botIdText = readString(vars, "BOT_ID");
  const botId = botIdText === "" ? undefined : Number(botIdText);
  if (botId !== undefined && !Number.isSafeInteger(botId)) {
    throw new ConfigError("BOT_ID", `"${botIdText}" must be the bot's numeric user id`);
  }

  const publishMode = readString(vars, "PUBLISH_MODE") || "card";
  if (publishMode !== "card" && publishMode !== "relay") {
    throw new ConfigError("PUBLISH_MODE", `"${publishMode}" must be "card" or "relay"`);
  }

  const logLevel = readString(vars, "LOG_LEVEL") || "info";
  if (logLevel !== "info" && logLevel !== "warn" && logLevel !== "error" && logLevel !== "silent") {
    throw new ConfigError("LOG_LEVEL", `"${logLevel}" must be info, warn, error or silent`);
  }

  const telegramWebhookSecret = readString(vars, "TELEGRAM_WEBHOOK_SECRET");
  if (telegramWebhookSecret !== "" && !TELEGRAM_SECRET_TOKEN.test(telegramWebhookSecret)) {
    throw new ConfigError("TELEGRAM_WEBHOOK_SECRET", "must be 1-256 characters of A-Z, a-z, 0-9, _ and -");
  }

  const streams = readStreams(vars);
  const chatIds = new Set([...Object.values(streams).map((binding) => binding.chat_id), ...readUserIds(vars, "CHAT_IDS")]);

  return {
    defaultStream,
    debounceMs,
    maxWaitMs,
    telegramApiRoot,
    botUsername: readString(vars, "BOT_USERNAME").replace(/^@/, ""),
    botId,
    streams,
    routes: readRoutes(vars),
    repinUserIds: readUserIds(vars, "REPIN_USER_IDS"),
    chatIds,
    publishMode,
    logLevel,
    debugEndpoints: readString(vars, "DEBUG_ENDPOINTS") === "true",
    githubWebhookSecret: readString(vars, "GITHUB_WEBHOOK_SECRET"),
    telegramBotToken: readString(vars, "TELEGRAM_BOT_TOKEN"),
    telegramWebhookSecret,
  };
}

function readString(vars: Record<string, unknown>, field: string): string {
  const value = vars[field];
  if (value === undefined || value === null) return "";
  if (typeof value === "string") return value.trim();
  if (typeof value === "number") return String(value);
  throw new ConfigError(field, `must be a string, got ${typeof value}`);
}

function readInteger(vars: Record<string, unknown>, field: string, fallback: number, min: number, max: number): number {
  const text = readString(vars, field);
  if (text === "") return fallback;
  const value = Number(text);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new ConfigError(field, `"${text}" must be an integer from ${min} to ${max}`);
  }
  return value;
}

function readJson(vars: Record<string, unknown>, field: string): unknown {
  const value = vars[field];
  if (typeof value !== "string") return value;
  if (value.trim() === "") return undefined;
  try {
    return JSON.parse(value);
  } catch {
    throw new ConfigError(field, "is a string that is not valid JSON");
  }
}

function readStreams(vars: Record<string, unknown>): Record<string, TopicBinding> {
  const value = readJson(vars, "STREAMS") ?? {};
  if (typeof value !== "object" || Array.isArray(value) || value === null) {
    throw new ConfigError("STREAMS", 'must be an object like {"my-stream": {"chat_id": -100123, "message_thread_id": 4}}');
  }
  const streams: Record<string, TopicBinding> = {};
  for (const [name, binding] of Object.entries(value)) {
    const field = `STREAMS.${name}`;
    if (!isStreamName(name)) throw new ConfigError(field, "is not a stream name (a-z, 0-9, . _ -, at most 63)");
    if (typeof binding !== "object" || binding === null) throw new ConfigError(field, "must be an object with chat_id");
    const { chat_id, message_thread_id } = binding as Record<string, unknown>;
    if (typeof chat_id !== "number" || !Number.isSafeInteger(chat_id)) {
      throw new ConfigError(`${field}.chat_id`, "must be an integer chat id such as -1001234567890");
    }
    if (message_thread_id !== undefined && (typeof message_thread_id !== "number" || !Number.isSafeInteger(message_thread_id) || message_thread_id < 1)) {
      throw new ConfigError(`${field}.message_thread_id`, "must be a positive integer topic id");
    }
    // Telegram rejects message_thread_id 1: the General topic is addressed by omitting it.
    streams[name] = message_thread_id === undefined || message_thread_id === 1 ? { chat_id } : { chat_id, message_thread_id };
  }
  return streams;
}

function readRoutes(vars: Record<string, unknown>): Route[] {
  const value = readJson(vars, "ROUTES") ?? [];
  if (!Array.isArray(value)) {
    throw new ConfigError("ROUTES", 'must be an array like [{"repository": "octo/app", "stream": "mobile-app"}]');
  }
  return value.map((rule: unknown, index): Route => {
    const field = `ROUTES[${index}]`;
    if (typeof rule !== "object" || rule === null) throw new ConfigError(field, "must be an object with stream");
    const { stream, repository, owner, event } = rule as Record<string, unknown>;
    if (typeof stream !== "string" || !isStreamName(stream)) throw new ConfigError(`${field}.stream`, "must be a stream name");
    for (const [key, match] of Object.entries({ repository, owner, event })) {
      if (match !== undefined && typeof match !== "string") throw new ConfigError(`${field}.${key}`, "must be a string");
    }
    return {
      stream,
      ...(typeof repository === "string" ? { repository: repository.toLowerCase() } : {}),
      ...(typeof owner === "string" ? { owner: owner.toLowerCase() } : {}),
      ...(typeof event === "string" ? { event } : {}),
    };
  });
}

/** Reads an array of Telegram user or chat ids. */
function readUserIds(vars: Record<string, unknown>, field: string): number[] {
  const value = readJson(vars, field) ?? [];
  const list = typeof value === "number" ? [value] : value;
  if (!Array.isArray(list) || !list.every((id) => Number.isSafeInteger(id))) {
    throw new ConfigError(field, "must be an array of integer Telegram ids");
  }
  return list as number[];
}

/** Returns the missing secret names that the hub needs to accept deliveries and publish. */
export function missingSecrets(config: Config): string[] {
  const missing: string[] = [];
  if (config.githubWebhookSecret === "") missing.push("GITHUB_WEBHOOK_SECRET");
  if (config.telegramBotToken === "") missing.push("TELEGRAM_BOT_TOKEN");
  if (config.telegramWebhookSecret === "") missing.push("TELEGRAM_WEBHOOK_SECRET");
  return missing;
}
