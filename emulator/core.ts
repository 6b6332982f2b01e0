/** The emulator's mutable state as a whole: the world plus everything that is not a chat. */

import { FaultQueue } from "./faults.ts";
import { ChatRateLimiter } from "./rate-limit.ts";
import { createSeedWorld } from "./sandbox.ts";
import { WebhookDelivery } from "./webhook.ts";
import type { World } from "./world.ts";

export type Seed = "sandbox" | "empty";

export type CallRecord = {
  method: string;
  ok: boolean;
  /** Null for a successful call and for a call that got no response (hang, network fault). */
  error_code: number | null;
  at: string;
  chat_id?: number;
  message_id?: number;
};

export type CallbackQueryRecord = { id: string; answered: boolean; text?: string; show_alert?: boolean };

export class Emulator {
  readonly seed: Seed;
  world: World;
  readonly rateLimiter = new ChatRateLimiter();
  readonly webhook = new WebhookDelivery();
  readonly faults = new FaultQueue();
  calls: CallRecord[] = [];
  /** setMyCommands lists by scope and language code. */
  commands = new Map<string, unknown[]>();
  callbackQueries = new Map<string, CallbackQueryRecord>();
  private nextCallbackSerial = 1;

  constructor(seed: Seed) {
    this.seed = seed;
    this.world = createSeedWorld(seed);
  }

  /** Returns every state to the seed; the rate limit setting resets to its default too. */
  reset(): void {
    this.world = createSeedWorld(this.seed);
    this.rateLimiter.clear();
    this.rateLimiter.limitPerMinute = new ChatRateLimiter().limitPerMinute;
    this.webhook.reset();
    this.faults.clear();
    this.calls = [];
    this.commands = new Map();
    this.callbackQueries = new Map();
  }

  newCallbackQueryId(): string {
    const id = `${this.world.bot.id}${String(this.nextCallbackSerial++).padStart(8, "0")}`;
    this.callbackQueries.set(id, { id, answered: false });
    return id;
  }
}
