export { TopicAgent } from "./agent/topic-agent.ts";

export default {
  async fetch(request: Request, env: Env): Promise<Response> {
    const url = new URL(request.url);
    if (url.pathname === "/probe") {
      const r = await fetch(env.TELEGRAM_API_ROOT + "/botX/getMe");
      return new Response(await r.text(), { status: r.status });
    }
    return new Response("ok");
  },
} satisfies ExportedHandler<Env>;
