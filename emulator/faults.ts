/** Failures a test queues for upcoming Bot API calls through POST /__emulator/faults. */

import type { ResponseParameters } from "./errors.ts";

export type Fault = {
  /** A method name compared case-insensitively, or "*" for any method. */
  method: string;
  remaining: number;
  /** When set, only calls for this chat_id match. */
  chat_id?: number;
  error_code?: number;
  description?: string;
  parameters?: ResponseParameters;
  /** Keep the request open until reset or close. */
  hang?: boolean;
  delay_ms?: number;
  /** Close the connection without sending a response. */
  network?: boolean;
};

export class FaultQueue {
  private faults: Fault[] = [];

  add(fault: Fault): void {
    this.faults.push(fault);
  }

  clear(): void {
    this.faults = [];
  }

  /** Takes one use of the first fault matching the method and chat, in the order they were added. */
  take(method: string, chatId?: number): Fault | undefined {
    const requested = method.toLowerCase();
    const fault = this.faults.find(
      (candidate) =>
        (candidate.method === "*" || candidate.method.toLowerCase() === requested) &&
        (candidate.chat_id === undefined || candidate.chat_id === chatId),
    );
    if (fault === undefined) return undefined;

    fault.remaining--;
    if (fault.remaining <= 0) this.faults = this.faults.filter((candidate) => candidate !== fault);
    return fault;
  }
}
