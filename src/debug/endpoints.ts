/**
 * Read-only stream introspection for the sandbox, load tests and benchmarks, enabled only when
 * DEBUG_ENDPOINTS is "true". It exposes no secret but does expose stream state, so production
 * leaves it off and these paths return 404 there.
 */
import { agentName } from "../agent/topic-agent.ts";
import { isStreamName } from "../config.ts";
import { errorResponse, json } from "../http.ts";

/** Delivery ids checked per request, so one request stays within a Worker's CPU budget. */
const MAX_IDS_PER_REQUEST = 5_000;

export async function handleDebug(request: Request, env: Env, path: string): Promise<Response> {
  const match = /^\/__debug\/streams\/([^/]+)(\/missing)?$/.exec(path);
  const stream = match?.[1];
  if (match === null || stream === undefined || !isStreamName(stream)) {
    return errorResponse(404, "debug paths are /__debug/streams/<stream> and /__debug/streams/<stream>/missing");
  }
  const agent = env.TOPIC_AGENT.get(env.TOPIC_AGENT.idFromName(agentName(stream)));

  if (match[2] === undefined) {
    if (request.method !== "GET") return errorResponse(405, "use GET", { allow: "GET" });
    return json(200, { ok: true, status: await agent.status(stream) });
  }

  if (request.method !== "POST") return errorResponse(405, "use POST with {\"ids\": [...]}", { allow: "POST" });
  let ids: unknown;
  try {
    ids = ((await request.json()) as { ids?: unknown }).ids;
  } catch {
    return errorResponse(400, 'body must be JSON like {"ids": ["<X-GitHub-Delivery>", ...]}');
  }
  if (!Array.isArray(ids) || !ids.every((id) => typeof id === "string") || ids.length > MAX_IDS_PER_REQUEST) {
    return errorResponse(400, `ids must be an array of at most ${MAX_IDS_PER_REQUEST} delivery id strings`);
  }
  return json(200, { ok: true, missing: await agent.missingDeliveries(ids) });
}
