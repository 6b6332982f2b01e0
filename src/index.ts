/**
 * The tgk Worker: GitHub deliveries in at /github, Telegram updates in at /telegram, and one
 * TopicAgent Durable Object per stream in between.
 */
import { ConfigError, type Config } from "./config.ts";
import { getConfig } from "./env.ts";
import { handleTelegramWebhook } from "./bot/webhook.ts";
import { handleDebug } from "./debug/endpoints.ts";
import { handleGitHubWebhook } from "./github/webhook.ts";
import { errorResponse, json } from "./http.ts";
import { log } from "./log.ts";

export { ChatAgent } from "./agent/chat-agent.ts";
export { TopicAgent } from "./agent/topic-agent.ts";

export default {
  async fetch(request, env): Promise<Response> {
    const url = new URL(request.url);
    const path = url.pathname.replace(/\/+$/, "") || "/";

    if (path === "/health") {
      return request.method === "GET" || request.method === "HEAD"
        ? json(200, { ok: true, service: "tgk" })
        : errorResponse(405, `method ${request.method} is not allowed on /health; use GET`, { allow: "GET, HEAD" });
    }

    let config: Config;
    try {
      config = getConfig(env);
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      log({ msg: "request rejected: invalid configuration", level: "error", description: error.message });
      return errorResponse(500, error.message);
    }

    if (path === "/telegram") return handleTelegramWebhook(request, env, config);
    if (path.startsWith("/__debug/") && config.debugEndpoints) return handleDebug(request, env, path);
    if (path === "/github") return handleGitHubWebhook(request, env, config, undefined);
    if (path.startsWith("/github/")) {
      let stream: string;
      try {
        stream = decodeURIComponent(path.slice("/github/".length));
      } catch {
        return errorResponse(404, "the stream in the path is not valid percent-encoding");
      }
      return handleGitHubWebhook(request, env, config, stream);
    }
    return errorResponse(404, `no route for ${path}; GitHub posts to /github/<stream>, Telegram to /telegram`);
  },
} satisfies ExportedHandler<Env>;
