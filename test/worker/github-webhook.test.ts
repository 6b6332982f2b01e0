import { exports } from "cloudflare:workers";
import examples from "@octokit/webhooks-examples/api.github.com/index.json";
import { describe, expect, it } from "vitest";
import { postDelivery, sign } from "./helpers.ts";

function example(event: string, index = 0): Record<string, unknown> {
  const found = examples.find((entry) => entry.name === event)?.examples[index];
  if (found === undefined) throw new Error(`no ${event} example`);
  return found as Record<string, unknown>;
}

async function errorOf(response: Response): Promise<string> {
  const body = (await response.json()) as { ok: boolean; error: string };
  expect(body.ok).toBe(false);
  return body.error;
}

describe("GitHub webhook", () => {
  it("answers GET /health", async () => {
    const response = await exports.default.fetch("https://hub.test/health");
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ ok: true });
  });

  it("answers ping with 200", async () => {
    const response = await postDelivery("ping", example("ping"), { stream: "webhook" });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ ok: true, event: "ping" });
  });

  it("stores a pull_request delivery", async () => {
    const response = await postDelivery("pull_request", example("pull_request"), { stream: "webhook" });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ ok: true, event: "pull_request", stream: "webhook", duplicate: false });
  });

  it("ignores unhandled events with 202", async () => {
    const response = await postDelivery("star", example("star"), { stream: "webhook" });
    expect(response.status).toBe(202);
    expect(await response.json()).toMatchObject({ ok: true, ignored: true, event: "star" });
  });

  it("routes to DEFAULT_STREAM without a path stream", async () => {
    const response = await postDelivery("push", example("push"));
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ stream: "forum-polish" });
  });

  it("accepts form-encoded payloads", async () => {
    const body = new URLSearchParams({ payload: JSON.stringify(example("issues")) }).toString();
    const response = await postDelivery("issues", undefined, {
      stream: "webhook",
      body,
      contentType: "application/x-www-form-urlencoded",
    });
    expect(response.status).toBe(200);
  });

  it("answers a redelivery without a second effect", async () => {
    const deliveryId = crypto.randomUUID();
    const first = await postDelivery("issues", example("issues"), { stream: "dedupe", deliveryId });
    const second = await postDelivery("issues", example("issues"), { stream: "dedupe", deliveryId });
    expect(first.status).toBe(200);
    expect(second.status).toBe(200);
    expect(await first.json()).toMatchObject({ duplicate: false });
    expect(await second.json()).toMatchObject({ duplicate: true });
  });

  it("rejects a missing signature with 401", async () => {
    const response = await exports.default.fetch("https://hub.test/github/webhook", {
      method: "POST",
      headers: { "content-type": "application/json", "x-github-event": "push", "x-github-delivery": crypto.randomUUID() },
      body: "{}",
    });
    expect(response.status).toBe(401);
    expect(await errorOf(response)).toContain("missing X-Hub-Signature-256");
  });

  it("rejects a signature over another body with 401", async () => {
    const response = await postDelivery("push", example("push"), {
      stream: "webhook",
      headers: { "x-hub-signature-256": await sign("{}") },
    });
    expect(response.status).toBe(401);
    expect(await errorOf(response)).toContain("does not match");
  });

  it("rejects missing X-GitHub-Event with 400", async () => {
    const body = "{}";
    const response = await exports.default.fetch("https://hub.test/github/webhook", {
      method: "POST",
      headers: { "content-type": "application/json", "x-github-delivery": crypto.randomUUID(), "x-hub-signature-256": await sign(body) },
      body,
    });
    expect(response.status).toBe(400);
    expect(await errorOf(response)).toContain("X-GitHub-Event");
  });

  it("rejects missing X-GitHub-Delivery with 400", async () => {
    const body = "{}";
    const response = await exports.default.fetch("https://hub.test/github/webhook", {
      method: "POST",
      headers: { "content-type": "application/json", "x-github-event": "push", "x-hub-signature-256": await sign(body) },
      body,
    });
    expect(response.status).toBe(400);
    expect(await errorOf(response)).toContain("X-GitHub-Delivery");
  });

  it("rejects malformed JSON with 400", async () => {
    const response = await postDelivery("push", undefined, { stream: "webhook", body: '{"ref": ' });
    expect(response.status).toBe(400);
    expect(await errorOf(response)).toContain("not valid JSON");
  });

  it("rejects a body over 25 MB with 413", async () => {
    const body = `{"pad":"${"x".repeat(25 * 1024 * 1024)}"}`;
    const response = await postDelivery("push", undefined, { stream: "webhook", body });
    expect(response.status).toBe(413);
    expect(await errorOf(response)).toContain("limit");
  });

  it("rejects GET on the webhook with 405", async () => {
    const response = await exports.default.fetch("https://hub.test/github/webhook");
    expect(response.status).toBe(405);
    expect(response.headers.get("allow")).toBe("POST");
  });

  it("rejects an invalid stream name with 404", async () => {
    const response = await postDelivery("push", example("push"), { stream: "Not A Stream" });
    expect(response.status).toBe(404);
  });
});
