/** Picks the stream a delivery belongs to. */
import type { Config } from "../config.ts";
import { type JsonObject, login, object, repositoryName } from "./changes/fields.ts";

/**
 * Resolves the stream. A stream named in the path wins; otherwise the first routing rule that matches the repository,
 * owner and event; otherwise DEFAULT_STREAM.
 */
export function resolveStream(config: Config, pathStream: string | undefined, event: string, payload: JsonObject): string {
  if (pathStream !== undefined) return pathStream;

  const repository = repositoryName(payload).toLowerCase();
  const owner = (login(object(payload.repository)?.owner) || login(payload.organization)).toLowerCase();
  for (const route of config.routes) {
    if (route.repository !== undefined && route.repository !== repository) continue;
    if (route.owner !== undefined && route.owner !== owner) continue;
    if (route.event !== undefined && route.event !== event) continue;
    return route.stream;
  }
  return config.defaultStream;
}
