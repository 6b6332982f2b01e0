/**
 * The emulator's HTTP server: `/bot<token>/<method>` responds like the Bot API server, and
 * `/__emulator/*` lets tests and the sandbox inspect and change the world.
 */

import { createServer } from "node:http";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Socket } from "node:net";
import { setTimeout as sleep } from "node:timers/promises";
import { handleControl } from "./control/index.ts";
import type { CallRecord, Seed } from "./core.ts";
import { Emulator } from "./core.ts";
import { BotApiError, badRequest, errorBody, formatDescription, NOT_FOUND, UNAUTHORIZED } from "./errors.ts";
import { DescribedResult } from "./methods/common.ts";
import { findMethod } from "./methods/index.ts";
import type { Params } from "./params.ts";
import { readParams } from "./params.ts";

export type EmulatorOptions = { port?: number; host?: string; seed?: Seed };

export type RunningEmulator = { url: string; port: number; close(): Promise<void> };

export const MAX_BODY_BYTES = 10 * 1024 * 1024;
const API_PATH = /^\/bot([^/]+)\/([^/]*)$/;

class BodyTooLarge extends Error {}

function readBody(request: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reject(new BodyTooLarge());
        request.resume();
        return;
      }
      chunks.push(chunk);
    });
    request.on("end", () => resolve(Buffer.concat(chunks)));
    request.on("error", reject);
  });
}

function sendJson(response: ServerResponse, status: number, body: unknown): void {
  if (response.headersSent || response.destroyed) return;
  const text = JSON.stringify(body);
  response.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(text) });
  response.end(text);
}

function sendError(response: ServerResponse, error: BotApiError): void {
  sendJson(response, error.error_code, errorBody(error));
}

/** Starts an emulator; port 0 picks a free port. */
export async function startEmulator(options: EmulatorOptions = {}): Promise<RunningEmulator> {
  const host = options.host ?? "127.0.0.1";
  const emulator = new Emulator(options.seed ?? "sandbox");
  const sockets = new Set<Socket>();
  const hanging = new Set<IncomingMessage>();
  const closing = new AbortController();

  /** Drops requests held open by a hang fault; their clients see the connection close. */
  function releaseHanging(): void {
    for (const request of hanging) request.socket.destroy();
    hanging.clear();
  }

  function recordCall(method: string, outcome: { ok: boolean; error_code: number | null }, params?: Params, result?: unknown): void {
    const call: CallRecord = { method, ok: outcome.ok, error_code: outcome.error_code, at: new Date().toISOString() };
    const chatId = params?.integer("chat_id");
    if (chatId !== undefined && !Number.isNaN(chatId)) call.chat_id = chatId;
    const messageId = params?.integer("message_id");
    const resultId = typeof result === "object" && result !== null && "message_id" in result ? result.message_id : undefined;
    if (messageId !== undefined && !Number.isNaN(messageId)) call.message_id = messageId;
    else if (typeof resultId === "number") call.message_id = resultId;
    emulator.calls.push(call);
  }

  async function handleApi(request: IncomingMessage, response: ServerResponse, url: URL, match: RegExpMatchArray): Promise<void> {
    const [, token = "", methodName = ""] = match;
    const method = findMethod(methodName);
    const name = method?.name ?? methodName;
    if (decodeURIComponent(token) !== emulator.world.token) {
      recordCall(name, { ok: false, error_code: 401 });
      sendError(response, UNAUTHORIZED);
      return;
    }

    let params: Params | undefined;
    try {
      const body = await readBody(request);
      params = await readParams(url.searchParams, request.headers["content-type"] ?? "", body);
    } catch (error) {
      const apiError = toApiError(error, name);
      recordCall(name, { ok: false, error_code: apiError.error_code });
      sendError(response, apiError);
      return;
    }

    // Faults match on the method and, when the fault names one, the chat, so tests that share the
    // emulator never take each other's faults. Faulted calls are recorded with their chat too.
    const chatId = params.integer("chat_id");
    const fault = emulator.faults.take(name, chatId !== undefined && !Number.isNaN(chatId) ? chatId : undefined);
    if (fault?.network === true) {
      recordCall(name, { ok: false, error_code: null }, params);
      request.socket.destroy();
      return;
    }
    if (fault?.hang === true) {
      recordCall(name, { ok: false, error_code: null }, params);
      hanging.add(request);
      return;
    }
    if (fault?.delay_ms !== undefined) {
      try {
        await sleep(fault.delay_ms, undefined, { signal: closing.signal });
      } catch {
        return;
      }
    }
    if (fault !== undefined && (fault.error_code !== undefined || fault.description !== undefined)) {
      const code = fault.error_code ?? 400;
      const error = new BotApiError(code, fault.description ?? formatDescription(code, ""), fault.parameters ?? {});
      recordCall(name, { ok: false, error_code: code }, params);
      sendError(response, error);
      return;
    }

    try {
      if (method === undefined) throw NOT_FOUND;

      const outcome = method.handler({ emulator, params });
      const described = outcome instanceof DescribedResult ? outcome : undefined;
      const result = described === undefined ? outcome : described.result;
      recordCall(name, { ok: true, error_code: null }, params, result);
      sendJson(response, 200, { ok: true, result, ...(described ? { description: described.description } : {}) });
    } catch (error) {
      const apiError = toApiError(error, name);
      recordCall(name, { ok: false, error_code: apiError.error_code }, params);
      sendError(response, apiError);
    }
  }

  async function handleControlRequest(request: IncomingMessage, response: ServerResponse, path: string): Promise<void> {
    try {
      const raw = await readBody(request);
      let body: unknown;
      if (raw.length > 0) {
        try {
          body = JSON.parse(raw.toString("utf8"));
        } catch {
          throw badRequest("Can't parse JSON object");
        }
      }
      if (request.method === "POST" && path === "/__emulator/reset") releaseHanging();
      sendJson(response, 200, await handleControl(emulator, request.method ?? "GET", path, body));
    } catch (error) {
      sendError(response, toApiError(error, path));
    }
  }

  const server = createServer((request, response) => {
    const url = new URL(request.url ?? "/", "http://emulator.invalid");
    const match = url.pathname.match(API_PATH);
    const work = url.pathname.startsWith("/__emulator/")
      ? handleControlRequest(request, response, url.pathname)
      : match !== null
        ? handleApi(request, response, url, match)
        : Promise.resolve(sendError(response, NOT_FOUND));
    work.catch((error: unknown) => sendError(response, toApiError(error, url.pathname)));
  });

  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const address = server.address();
  if (address === null || typeof address === "string") throw new Error("Emulator server has no TCP address after listen");
  const urlHost = host.includes(":") ? `[${host}]` : host;

  return {
    url: `http://${urlHost}:${address.port}`,
    port: address.port,
    async close(): Promise<void> {
      closing.abort();
      emulator.webhook.close();
      releaseHanging();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const socket of sockets) socket.destroy();
      await closed;
    },
  };
}

/** Turns anything thrown into a Telegram-style error; unexpected ones are logged and sent as 500. */
function toApiError(error: unknown, where: string): BotApiError {
  if (error instanceof BotApiError) return error;
  if (error instanceof BodyTooLarge) return new BotApiError(413, "Request Entity Too Large");
  const message = error instanceof Error ? error.message : String(error);
  console.error(JSON.stringify({ event: "emulator_internal_error", where, error: message }));
  return new BotApiError(500, formatDescription(500, message));
}
