import { DurableObject } from "cloudflare:workers";
export class TopicAgent extends DurableObject<Env> {
  async ping(): Promise<string> { return "pong"; }
}
