/** Starts an emulator per test and talks to it over real HTTP. */

import { createServer } from "node:http";
import type { IncomingHttpHeaders } from "node:http";
import { afterEach } from "vitest";
import { SANDBOX_BOT } from "../../../emulator/sandbox.ts";
import { startEmulator } from "../../../emulator/server.ts";
import type { RunningEmulator } from "../../../emulator/server.ts";

export type ApiAnswer = {
  ok: boolean;
  result?: any;
  error_code?: number;
  description?: string;
  parameters?: Record<string, unknown>;
};

const running: Array<() => Promise<void>> = [];

afterEach(async () => {
  for (const close of running.splice(0)) await close();
});

export type Harness = {
  emulator: RunningEmulator;
  /** Calls a Bot API method with a JSON body. */
  call(method: string, body?: Record<string, unknown>, token?: string): Promise<ApiAnswer & { status: number }>;
  /** Calls a control endpoint; GET when body is undefined. */
  control(path: string, body?: unknown, method?: string): Promise<any>;
  state(): Promise<any>;
};

export async function start(seed: "sandbox" | "empty" = "sandbox"): Promise<Harness> {
  const emulator = await startEmulator({ port: 0, seed });
  running.push(() => emulator.close());

  return {
    emulator,
    async call(method, body = {}, token = SANDBOX_BOT.token) {
      const response = await fetch(`${emulator.url}/bot${token}/${method}`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(body),
      });
      return { status: response.status, ...((await response.json()) as ApiAnswer) };
    },
    async control(path, body, method) {
      const response = await fetch(`${emulator.url}/__emulator/${path}`, {
        method: method ?? (body === undefined ? "GET" : "POST"),
        headers: { "content-type": "application/json" },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      return response.json();
    },
    async state() {
      return (await fetch(`${emulator.url}/__emulator/state`)).json();
    },
  };
}

export type ReceivedUpdate = { headers: IncomingHttpHeaders; body: any };

/** A webhook receiver on 127.0.0.1 that responds to each request with the next status in `statuses`. */
export async function startReceiver(statuses: number[] = []): Promise<{ url: string; received: ReceivedUpdate[] }> {
  const received: ReceivedUpdate[] = [];
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      received.push({ headers: request.headers, body: JSON.parse(Buffer.concat(chunks).toString("utf8")) });
      response.statusCode = statuses.shift() ?? 200;
      response.end("ok");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  if (address === null || typeof address === "string") throw new Error("receiver has no TCP address");
  running.push(() => new Promise<void>((resolve) => {
    server.closeAllConnections();
    server.close(() => resolve());
  }));
  return { url: `http://127.0.0.1:${address.port}/hook`, received };
}

export const CHAT = -1001234567890;
