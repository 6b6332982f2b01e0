/**
 * Bot API error values and the description rules of the Bot API server (tdlib/telegram-bot-api,
 * Query.cpp). The error code picks a prefix. The first letter of the cause is lowercased unless the
 * second character is `_` or upper case, so `TOPIC_CLOSED` stays as it is.
 */

export type ResponseParameters = { migrate_to_chat_id?: number; retry_after?: number };

const DESCRIPTION_PREFIX: Record<number, string> = {
  400: "Bad Request",
  401: "Unauthorized",
  403: "Forbidden",
  404: "Not Found",
  409: "Conflict",
  413: "Request Entity Too Large",
  429: "Too Many Requests",
  500: "Internal Server Error",
};

/** A failed Bot API call, sent to the client as `{ ok: false, error_code, description, parameters? }`. */
export class BotApiError extends Error {
  readonly error_code: number;
  readonly description: string;
  readonly parameters: ResponseParameters;

  constructor(error_code: number, description: string, parameters: ResponseParameters = {}) {
    super(description);
    this.name = "BotApiError";
    this.error_code = error_code;
    this.description = description;
    this.parameters = parameters;
  }
}

/** Builds a description the way the Bot API server does from a code and a tdlib-style cause. */
export function formatDescription(error_code: number, cause: string): string {
  const prefix = DESCRIPTION_PREFIX[error_code] ?? "Error";
  if (cause === "") return prefix;

  const second = cause.charAt(1);
  const keepCase = second === "_" || (second !== second.toLowerCase() && second === second.toUpperCase());
  const first = keepCase ? cause.charAt(0) : cause.charAt(0).toLowerCase();
  return `${prefix}: ${first}${cause.slice(1)}`;
}

export function badRequest(cause: string, parameters: ResponseParameters = {}): BotApiError {
  return new BotApiError(400, formatDescription(400, cause), parameters);
}

export function forbidden(cause: string): BotApiError {
  return new BotApiError(403, formatDescription(403, cause));
}

export function tooManyRequests(retryAfterSeconds: number): BotApiError {
  return new BotApiError(429, formatDescription(429, `retry after ${retryAfterSeconds}`), {
    retry_after: retryAfterSeconds,
  });
}

export const UNAUTHORIZED = new BotApiError(401, "Unauthorized");
export const NOT_FOUND = new BotApiError(404, "Not Found");

/** Returns the JSON body Telegram sends for an error; `parameters` only when it has a field. */
export function errorBody(error: BotApiError): Record<string, unknown> {
  const body: Record<string, unknown> = {
    ok: false,
    error_code: error.error_code,
    description: error.description,
  };
  if (Object.keys(error.parameters).length > 0) body.parameters = error.parameters;
  return body;
}
