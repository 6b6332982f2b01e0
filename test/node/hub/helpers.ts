/** Helpers for tests that run the real hub under `wrangler dev` and talk to it over HTTP. */
import { randomUUID } from "node:crypto";
import { freePort, signBody } from "../../../scripts/loopback.ts";

export { freePort, signBody };

export async function postDelivery(
  hubUrl: string,
  stream: string,
  event: string,
  payload: unknown,
  secret: string,
  deliveryId: string = randomUUID(),
): Promise<{ status: number; body: Record<string, unknown>; deliveryId: string }> {
  const body = JSON.stringify(payload);
  const response = await fetch(`${hubUrl}/github/${stream}`, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      "x-github-event": event,
      "x-github-delivery": deliveryId,
      "x-hub-signature-256": signBody(body, secret),
    },
    body,
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown>, deliveryId };
}

export async function eventually<T>(check: () => Promise<T | undefined>, timeoutMs: number, what: string): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
