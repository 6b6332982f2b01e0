/**
 * Narrowing readers for untrusted payload JSON. GitHub payloads may carry null or omit fields the
 * schema lists, so every read falls back instead of throwing.
 */

export type JsonObject = Record<string, unknown>;

export function object(value: unknown): JsonObject | undefined {
  return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as JsonObject) : undefined;
}

export function text(value: unknown, fallback = ""): string {
  if (typeof value === "string") return value;
  if (typeof value === "number") return String(value);
  return fallback;
}

export function integer(value: unknown): number | undefined {
  return typeof value === "number" && Number.isSafeInteger(value) ? value : undefined;
}

export function flag(value: unknown): boolean {
  return value === true;
}

/** Reads `user.login`, the form in which the card names people. */
export function login(user: unknown): string {
  return text(object(user)?.login);
}

/** Reads an ISO 8601 string or epoch seconds (as `repository.pushed_at` is in push payloads) as epoch ms. */
export function time(value: unknown, fallback: number): number {
  if (typeof value === "number" && Number.isFinite(value)) return value < 1e12 ? value * 1000 : value;
  if (typeof value === "string") {
    const parsed = Date.parse(value);
    if (!Number.isNaN(parsed)) return parsed;
  }
  return fallback;
}

/** Reads `repository.full_name`, falling back to `owner/name`. */
export function repositoryName(payload: JsonObject): string {
  const repository = object(payload.repository);
  if (repository === undefined) return "";
  const fullName = text(repository.full_name);
  if (fullName !== "") return fullName;
  const owner = login(repository.owner);
  const name = text(repository.name);
  return owner !== "" && name !== "" ? `${owner}/${name}` : name;
}

/** First line of a commit message or title, for one-line display. */
export function firstLine(value: string): string {
  const end = value.indexOf("\n");
  return (end === -1 ? value : value.slice(0, end)).trim();
}
