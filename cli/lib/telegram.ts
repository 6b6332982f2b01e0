// A minimal Bot API client for setup and doctor. The token is registered as a secret so it never
// reaches the terminal, even inside an error message that quotes the request URL.
import { CliError, errorCause } from "./command.ts";
import { registerSecret } from "./output.ts";

export const DEFAULT_API_ROOT = "https://api.telegram.org";
const REQUEST_TIMEOUT_MS = 15_000;

/** A Bot API error response: `{ ok: false, error_code, description, parameters? }`. */
export class BotApiError extends Error {
  readonly method: string;
  readonly errorCode: number;
  readonly description: string;

  constructor(method: string, errorCode: number, description: string) {
    super(`${method} failed: ${errorCode} ${description}`);
    this.name = "BotApiError";
    this.method = method;
    this.errorCode = errorCode;
    this.description = description;
  }
}

export class BotApi {
  private readonly root: string;
  private readonly token: string;

  constructor(root: string, token: string) {
    registerSecret(token);
    this.root = root.replace(/\/+$/, "");
    this.token = token;
  }

  /** Calls one method with a JSON body; resolves with `result`, rejects with BotApiError or a CliError on network failure. */
  async call<T>(method: string, parameters: Record<string, unknown> = {}): Promise<T> {
    let response: Response;
    try {
      response = await fetch(`${this.root}/bot${this.token}/${method}`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(parameters),
        signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
      });
    } catch (error) {
      const cause = errorCause(error);
      throw new CliError(`${method} failed: could not reach the Bot API at ${this.root}: ${cause}`, {
        hint: "Check --api-root (the sandbox emulator listens on http://127.0.0.1:8790).",
      });
    }

    let body: { ok?: unknown; result?: unknown; error_code?: unknown; description?: unknown };
    try {
      body = (await response.json()) as typeof body;
    } catch {
      throw new BotApiError(method, response.status, `non-JSON response with HTTP status ${response.status}`);
    }
    if (body.ok !== true) {
      const code = typeof body.error_code === "number" ? body.error_code : response.status;
      const description = typeof body.description === "string" ? body.description : "no description";
      throw new BotApiError(method, code, description);
    }
    return body.result as T;
  }
}

/** Reads the bot token from --token or TELEGRAM_BOT_TOKEN; the error for a missing token names both. */
export function resolveToken(option: string | undefined): string {
  const token = option ?? process.env.TELEGRAM_BOT_TOKEN;
  if (!token) {
    throw new CliError("missing bot token", {
      hint: "Pass --token or set TELEGRAM_BOT_TOKEN (from @BotFather; the sandbox uses 7000000001:sandbox-token).",
      exitCode: 2,
    });
  }
  if (!/^\d+:[\w-]+$/.test(token)) {
    registerSecret(token);
    throw new CliError("invalid bot token: expected <bot id>:<secret> as @BotFather issues it", { exitCode: 2 });
  }
  return token;
}

/** Hint for a Bot API error that setup or doctor cannot fix by itself. */
export function botApiHint(error: BotApiError): string | undefined {
  if (error.errorCode === 401 || error.errorCode === 404) return "The token was rejected: check it with @BotFather, or check --api-root.";
  if (/chat not found/i.test(error.description)) return "Add the bot to the chat, or fix chat_id in STREAMS.";
  if (/not a member|kicked/i.test(error.description)) return "Add the bot to the chat again and make it an admin.";
  return undefined;
}
