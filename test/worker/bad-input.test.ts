/**
 * Bad and odd requests to both webhooks, as a careless client, a misconfigured proxy or an odd
 * GitHub payload would send them. Every case documents its expected response in the table, and no
 * case may end in a 500. After all of them the hub must still publish a correct card.
 */
import { exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { type EmulatorMessage, emulatorPost, emulatorState, postDelivery, sign, testStreams, viewTopic, waitForCard } from "./helpers.ts";
import { type Payload, example, pullRequestPayload } from "./payloads.ts";

const STREAM = "bad-input";
const HUB = "https://hub.test";
const TELEGRAM_SECRET = "test-telegram-secret";
const ALICE = { id: 100, username: "alice", first_name: "Alice" };
/** Publishes in this file can wait for the chat's send budget, so card checks get a longer timeout. */
const CARD_TIMEOUT_MS = 25_000;

interface RawGitHubRequest {
  method?: string;
  path?: string;
  body?: string;
  /** Header overrides; null removes a default header. */
  headers?: Record<string, string | null>;
  /** Body to sign instead of `body`. */
  signedBody?: string;
}

/** Sends a GitHub-style request with the defaults of a valid issues delivery, then the overrides. */
async function rawGitHub(request: RawGitHubRequest = {}): Promise<Response> {
  const method = request.method ?? "POST";
  const body = request.body ?? JSON.stringify(example("issues"));
  const headers: Record<string, string | null> = {
    "content-type": "application/json",
    "x-github-event": "issues",
    "x-github-delivery": crypto.randomUUID(),
    "x-hub-signature-256": await sign(request.signedBody ?? body),
    ...request.headers,
  };
  const present = Object.entries(headers).filter((entry): entry is [string, string] => entry[1] !== null);
  // Bytes, not a string, so fetch adds no text/plain content type when the case removes it.
  return exports.default.fetch(`${HUB}${request.path ?? `/github/${STREAM}`}`, {
    method,
    headers: Object.fromEntries(present),
    ...(method === "GET" || method === "HEAD" ? {} : { body: new TextEncoder().encode(body) }),
  });
}

/** Sends a request to /telegram with the configured secret, or with `secret` when given (null sends none). */
async function rawTelegram(body: string, secret: string | null = TELEGRAM_SECRET, method = "POST"): Promise<Response> {
  return exports.default.fetch(`${HUB}/telegram`, {
    method,
    headers: { "content-type": "application/json", ...(secret !== null ? { "x-telegram-bot-api-secret-token": secret } : {}) },
    ...(method === "GET" ? {} : { body }),
  });
}

interface HttpCase {
  name: string;
  send: () => Promise<Response>;
  /** Expected status. */
  status: number;
  /** Expected text in the JSON `error` of a 4xx response. */
  error?: string;
  /** Expected fields of a 2xx response's JSON body. grammY returns an empty body for updates. */
  body?: Record<string, unknown>;
}

const ISSUES_BODY = JSON.stringify(example("issues"));
const HEX_64 = "a".repeat(64);
/** One level of nesting per pair of brackets: a valid JSON object far deeper than any payload. */
const NESTING_DEPTH = 100_000;

const GITHUB_CASES: HttpCase[] = [
  // Signatures: GitHub sends `sha256=` and 64 lower-case hex digits of HMAC-SHA256 over the raw body.
  { name: "signature missing", status: 401, error: "missing X-Hub-Signature-256", send: () => rawGitHub({ headers: { "x-hub-signature-256": null } }) },
  { name: "signature empty", status: 401, error: "missing X-Hub-Signature-256", send: () => rawGitHub({ headers: { "x-hub-signature-256": "" } }) },
  { name: "signature wrong", status: 401, error: "does not match", send: () => rawGitHub({ headers: { "x-hub-signature-256": `sha256=${HEX_64}` } }) },
  {
    name: "signature other secret",
    status: 401,
    error: "does not match",
    send: async () => rawGitHub({ headers: { "x-hub-signature-256": await sign(ISSUES_BODY, "another-secret") } }),
  },
  {
    name: "signature truncated",
    status: 401,
    error: "64 lower-case hex digits",
    send: async () => rawGitHub({ headers: { "x-hub-signature-256": (await sign(ISSUES_BODY)).slice(0, -1) } }),
  },
  {
    name: "signature upper-case hex",
    status: 401,
    error: "64 lower-case hex digits",
    send: async () => rawGitHub({ headers: { "x-hub-signature-256": `sha256=${(await sign(ISSUES_BODY)).slice(7).toUpperCase()}` } }),
  },
  { name: "signature sha1", status: 401, error: "must be sha256=", send: () => rawGitHub({ headers: { "x-hub-signature-256": `sha1=${"a".repeat(40)}` } }) },
  {
    name: "signature without prefix",
    status: 401,
    error: "must be sha256=",
    send: async () => rawGitHub({ headers: { "x-hub-signature-256": (await sign(ISSUES_BODY)).slice(7) } }),
  },
  { name: "signature over other body", status: 401, error: "does not match", send: () => rawGitHub({ signedBody: "{}" }) },
  { name: "signature checked first", status: 401, error: "missing X-Hub-Signature-256", send: () => rawGitHub({ headers: { "x-hub-signature-256": null, "x-github-event": null, "content-type": "text/plain" } }) },

  // Bodies: the signature is valid, the body is not a JSON object.
  { name: "body empty", status: 400, error: "not valid JSON", send: () => rawGitHub({ body: "" }) },
  { name: "body not JSON", status: 400, error: "not valid JSON", send: () => rawGitHub({ body: "hello, hub" }) },
  { name: "body truncated JSON", status: 400, error: "not valid JSON", send: () => rawGitHub({ body: ISSUES_BODY.slice(0, 100) }) },
  { name: "body JSON array", status: 400, error: "got an array", send: () => rawGitHub({ body: "[1,2]" }) },
  { name: "body JSON string", status: 400, error: "got string", send: () => rawGitHub({ body: '"issues"' }) },
  { name: "body JSON number", status: 400, error: "got number", send: () => rawGitHub({ body: "42" }) },
  { name: "body JSON null", status: 400, error: "got null", send: () => rawGitHub({ body: "null" }) },
  { name: "body over 25 MB", status: 413, error: "limit", send: () => rawGitHub({ body: `{"pad":"${"x".repeat(25 * 1024 * 1024)}"}` }) },
  {
    name: "body deeply nested",
    status: 200,
    body: { ok: true, duplicate: false },
    send: () => rawGitHub({ body: `{"nested":${"[".repeat(NESTING_DEPTH)}${"]".repeat(NESTING_DEPTH)}}` }),
  },

  // Content types: JSON or a form with the JSON in `payload`; a missing type is read as JSON.
  { name: "content type text", status: 415, error: "text/plain is not supported", send: () => rawGitHub({ headers: { "content-type": "text/plain" } }) },
  { name: "content type xml", status: 415, error: "application/xml is not supported", send: () => rawGitHub({ headers: { "content-type": "application/xml" } }) },
  { name: "content type multipart", status: 415, error: "multipart/form-data is not supported", send: () => rawGitHub({ headers: { "content-type": "multipart/form-data; boundary=x" } }) },
  {
    name: "form without payload",
    status: 400,
    error: "no payload field",
    send: () => rawGitHub({ body: new URLSearchParams({ other: ISSUES_BODY }).toString(), headers: { "content-type": "application/x-www-form-urlencoded" } }),
  },
  {
    name: "form payload not JSON",
    status: 400,
    error: "not valid JSON",
    send: () => rawGitHub({ body: "payload=%7Bnot", headers: { "content-type": "application/x-www-form-urlencoded" } }),
  },
  { name: "content type missing", status: 200, body: { ok: true, stream: STREAM }, send: () => rawGitHub({ headers: { "content-type": null } }) },
  { name: "content type charset", status: 200, body: { ok: true }, send: () => rawGitHub({ headers: { "content-type": "Application/JSON; charset=utf-8" } }) },

  // GitHub's headers, checked after the signature.
  { name: "event missing", status: 400, error: "missing X-GitHub-Event", send: () => rawGitHub({ headers: { "x-github-event": null } }) },
  { name: "event empty", status: 400, error: "X-GitHub-Event is not an event name", send: () => rawGitHub({ headers: { "x-github-event": "" } }) },
  { name: "event with spaces", status: 400, error: "not an event name", send: () => rawGitHub({ headers: { "x-github-event": "pull request" } }) },
  { name: "event upper-case", status: 400, error: "not an event name", send: () => rawGitHub({ headers: { "x-github-event": "PUSH" } }) },
  { name: "event too long", status: 400, error: "not an event name", send: () => rawGitHub({ headers: { "x-github-event": "e".repeat(65) } }) },
  { name: "event unknown", status: 202, body: { ok: true, ignored: true, event: "no_such_event" }, send: () => rawGitHub({ headers: { "x-github-event": "no_such_event" } }) },
  { name: "delivery missing", status: 400, error: "missing X-GitHub-Delivery", send: () => rawGitHub({ headers: { "x-github-delivery": null } }) },
  { name: "delivery empty", status: 400, error: "X-GitHub-Delivery must be a GUID", send: () => rawGitHub({ headers: { "x-github-delivery": "" } }) },
  { name: "delivery with slashes", status: 400, error: "must be a GUID", send: () => rawGitHub({ headers: { "x-github-delivery": "../../etc/passwd" } }) },
  { name: "delivery too long", status: 400, error: "must be a GUID", send: () => rawGitHub({ headers: { "x-github-delivery": "a".repeat(65) } }) },

  // Methods and paths.
  { name: "GET on stream path", status: 405, error: "not allowed", send: () => rawGitHub({ method: "GET" }) },
  { name: "PUT on stream path", status: 405, error: "not allowed", send: () => rawGitHub({ method: "PUT" }) },
  { name: "DELETE on /github", status: 405, error: "not allowed", send: () => rawGitHub({ method: "DELETE", path: "/github" }) },
  { name: "POST on /health", status: 405, error: "not allowed", send: () => rawGitHub({ path: "/health" }) },
  { name: "stream name invalid", status: 404, error: "not a stream name", send: () => rawGitHub({ path: "/github/Not%20A%20Stream" }) },
  { name: "stream with subpath", status: 404, error: "not a stream name", send: () => rawGitHub({ path: `/github/${STREAM}/extra` }) },
  { name: "stream bad percent-encoding", status: 404, error: "percent-encoding", send: () => rawGitHub({ path: "/github/%E0%A4%A" }) },
  { name: "unknown path", status: 404, error: "no route", send: () => rawGitHub({ path: "/webhooks/github" }) },
  { name: "root path", status: 404, error: "no route", send: () => rawGitHub({ method: "GET", path: "/" }) },
  { name: "debug path when off", status: 404, error: "no route", send: () => rawGitHub({ method: "GET", path: `/__debug/streams/${STREAM}` }) },
];

const TELEGRAM_CASES: HttpCase[] = [
  { name: "secret missing", status: 401, error: "missing X-Telegram-Bot-Api-Secret-Token", send: () => rawTelegram('{"update_id":1}', null) },
  { name: "secret empty", status: 401, error: "does not match", send: () => rawTelegram('{"update_id":1}', "") },
  { name: "secret wrong", status: 401, error: "does not match", send: () => rawTelegram('{"update_id":1}', "wrong-secret") },
  { name: "secret with suffix", status: 401, error: "does not match", send: () => rawTelegram('{"update_id":1}', `${TELEGRAM_SECRET}x`) },
  { name: "update not JSON", status: 400, error: "not valid JSON", send: () => rawTelegram("{not json") },
  { name: "update empty", status: 400, error: "not valid JSON", send: () => rawTelegram("") },
  { name: "update array", status: 400, error: "numeric update_id", send: () => rawTelegram("[]") },
  { name: "update null", status: 400, error: "numeric update_id", send: () => rawTelegram("null") },
  { name: "update without update_id", status: 400, error: "numeric update_id", send: () => rawTelegram('{"message":{}}') },
  { name: "update_id as string", status: 400, error: "numeric update_id", send: () => rawTelegram('{"update_id":"7"}') },
  { name: "update over 1 MB", status: 413, error: "limit", send: () => rawTelegram(`{"update_id":1,"pad":"${"x".repeat(1024 * 1024)}"}`) },
  { name: "update with no content", status: 200, send: () => rawTelegram('{"update_id":600001}') },
  { name: "update of unknown kind", status: 200, send: () => rawTelegram('{"update_id":600002,"future_update":{"x":1}}') },
  {
    name: "message from unknown chat",
    status: 200,
    send: () =>
      rawTelegram(JSON.stringify({
        update_id: 600003,
        message: { message_id: 1, date: 1, chat: { id: -1009999999999, type: "supergroup", title: "x" }, from: { ...ALICE, is_bot: false }, text: "/status", entities: [{ type: "bot_command", offset: 0, length: 7 }] },
      })),
  },
  { name: "GET on /telegram", status: 405, error: "not allowed", send: () => rawTelegram("", TELEGRAM_SECRET, "GET") },
  { name: "PUT on /telegram", status: 405, error: "not allowed", send: () => rawTelegram('{"update_id":1}', TELEGRAM_SECRET, "PUT") },
];

async function checkAnswer(testCase: HttpCase): Promise<void> {
  let response: Response;
  try {
    response = await testCase.send();
  } catch (error) {
    // exports.default.fetch passes the Worker's exception through; deployed, the client gets a 500.
    expect.fail(`the Worker threw instead of answering ${testCase.status} (a 500 when deployed): ${String(error)}`);
  }
  const text = await response.text();
  expect(response.status, text.slice(0, 300)).toBe(testCase.status);
  if (testCase.status < 400 && testCase.body === undefined) return;

  expect(response.headers.get("content-type") ?? "").toContain("application/json");
  const body = JSON.parse(text) as Record<string, unknown>;
  if (testCase.status >= 400) {
    expect(body.ok).toBe(false);
    expect(body.error).toEqual(expect.stringContaining(testCase.error ?? ""));
  } else {
    expect(body).toMatchObject(testCase.body ?? {});
  }
}

describe("GitHub webhook bad input", () => {
  for (const testCase of GITHUB_CASES) it(testCase.name, () => checkAnswer(testCase));
});

describe("Telegram webhook bad input", () => {
  for (const testCase of TELEGRAM_CASES) it(testCase.name, () => checkAnswer(testCase));
});

interface PayloadCase {
  name: string;
  event: string;
  payload: () => Payload;
  /** Text the card must show once the case's delivery is in. */
  shows?: string;
}

/** Builds a pull_request delivery from the opened example with `number`, then applies `change` to it. */
function pullRequest(number: number, change: (payload: Payload) => void): Payload {
  const payload = pullRequestPayload({ number, title: `Odd pull ${number}`, headRef: `odd-${number}`, headSha: "c".repeat(40), updatedAt: new Date().toISOString() });
  change(payload);
  return payload;
}

/** Real payloads with a field the event normally has set to null, removed or of the wrong type: each answered 200. */
const PAYLOAD_CASES: PayloadCase[] = [
  { name: "pull title null", event: "pull_request", shows: "#9001", payload: () => pullRequest(9001, (p) => { p.pull_request.title = null; }) },
  { name: "pull title missing", event: "pull_request", shows: "#9002", payload: () => pullRequest(9002, (p) => { delete p.pull_request.title; }) },
  { name: "pull user null", event: "pull_request", shows: "Odd pull 9003", payload: () => pullRequest(9003, (p) => { p.pull_request.user = null; }) },
  { name: "pull head null", event: "pull_request", shows: "Odd pull 9004", payload: () => pullRequest(9004, (p) => { p.pull_request.head = null; }) },
  { name: "pull head sha number", event: "pull_request", shows: "Odd pull 9005", payload: () => pullRequest(9005, (p) => { p.pull_request.head.sha = 12345; }) },
  { name: "repository missing", event: "pull_request", shows: "Odd pull 9006", payload: () => pullRequest(9006, (p) => { delete p.repository; }) },
  { name: "repository null", event: "pull_request", shows: "Odd pull 9007", payload: () => pullRequest(9007, (p) => { p.repository = null; }) },
  { name: "pull updated_at invalid", event: "pull_request", shows: "Odd pull 9008", payload: () => pullRequest(9008, (p) => { p.pull_request.updated_at = "yesterday"; }) },
  { name: "pull reviewers null", event: "pull_request", shows: "Odd pull 9009", payload: () => pullRequest(9009, (p) => { p.pull_request.requested_reviewers = [null, 7, { login: null }]; }) },
  { name: "pull html_url not http", event: "pull_request", shows: "Odd pull 9010", payload: () => pullRequest(9010, (p) => { p.pull_request.html_url = "javascript:alert(1)"; }) },
  { name: "pull_request missing", event: "pull_request", payload: () => pullRequest(9011, (p) => { delete p.pull_request; delete p.number; }) },
  { name: "pull number string", event: "pull_request", payload: () => pullRequest(9012, (p) => { p.pull_request.number = "9012"; p.number = "9012"; }) },
  { name: "sender null", event: "pull_request", shows: "Odd pull 9013", payload: () => pullRequest(9013, (p) => { p.sender = null; }) },
  {
    name: "review null",
    event: "pull_request_review",
    payload: () => {
      const payload = example("pull_request_review", (p) => p.action === "submitted");
      payload.review = null;
      return payload;
    },
  },
  {
    name: "review user null",
    event: "pull_request_review",
    payload: () => {
      const payload = example("pull_request_review", (p) => p.action === "submitted");
      payload.review.user = null;
      return payload;
    },
  },
  {
    name: "push commits not array",
    event: "push",
    shows: "odd-push-1",
    payload: () => {
      const payload = example("push", (p) => p.head_commit !== null);
      payload.ref = "refs/heads/odd-push-1";
      payload.commits = "three";
      return payload;
    },
  },
  {
    name: "push head_commit null",
    event: "push",
    shows: "odd-push-2",
    payload: () => {
      const payload = example("push", (p) => p.head_commit !== null);
      payload.ref = "refs/heads/odd-push-2";
      payload.head_commit = null;
      payload.pusher = null;
      return payload;
    },
  },
  {
    name: "push ref missing",
    event: "push",
    payload: () => {
      const payload = example("push");
      delete payload.ref;
      return payload;
    },
  },
  {
    name: "issue title null",
    event: "issues",
    payload: () => {
      const payload = example("issues");
      payload.issue.title = null;
      payload.issue.user = null;
      return payload;
    },
  },
  {
    name: "check_run null",
    event: "check_run",
    payload: () => {
      const payload = example("check_run");
      payload.check_run = null;
      return payload;
    },
  },
  {
    name: "check_suite app null",
    event: "check_suite",
    payload: () => {
      const payload = example("check_suite");
      payload.check_suite.app = null;
      payload.check_suite.head_sha = null;
      return payload;
    },
  },
  {
    name: "release tag null",
    event: "release",
    payload: () => {
      const payload = example("release");
      payload.release.tag_name = null;
      payload.release.name = null;
      return payload;
    },
  },
  {
    name: "deployment null",
    event: "deployment_status",
    payload: () => {
      const payload = example("deployment_status");
      payload.deployment = null;
      payload.deployment_status.environment = null;
      return payload;
    },
  },
  {
    name: "status fields null",
    event: "status",
    payload: () => {
      const payload = example("status");
      payload.sha = null;
      payload.context = null;
      payload.state = null;
      return payload;
    },
  },
];

/** Hostile or unusual pull request titles: each must reach Telegram escaped and show literally. */
const TITLES: Array<{ name: string; title: string }> = [
  { name: "bold tag", title: "<b>bold</b> title" },
  { name: "link tag", title: '<a href="https://evil.example/x">click me</a>' },
  { name: "closing code tag", title: "</code><i>break out" },
  { name: "ampersands", title: "Fish & chips &amp; &lt;tag&gt;" },
  { name: "quotes", title: `"double" and 'single' quotes` },
  { name: "emoji", title: "Ship it 🚀 👩‍💻 🇺🇦" },
  { name: "right-to-left", title: "שלום עולם مرحبا بالعالم" },
  { name: "zero-width", title: "zero\u200bwidth\u200cjoin\u200d\u2060word\u202eflip" },
  { name: "10,000 characters", title: `Long <title> & ${"ab<&>\"".repeat(1_700)}`.slice(0, 10_000) },
];

/** Visible text Telegram must show for a title on the card, at the card's widest title limit of 90. */
function visibleTitle(title: string): string {
  const clean = title.replace(/\s+/g, " ").trim();
  return clean.length <= 90 ? clean : clean.slice(0, 80);
}

function expectOnlyGitHubLinks(message: EmulatorMessage): void {
  const urls = (message.entities ?? []).filter((entity) => entity.url !== undefined).map((entity) => entity.url!);
  for (const url of urls) expect(url).toMatch(/^https:\/\/github\.com\//);
  const types = new Set((message.entities ?? []).map((entity) => entity.type));
  expect([...types].every((type) => ["bold", "italic", "code", "text_link"].includes(type))).toBe(true);
}

async function expectNoFailedSends(): Promise<void> {
  const { calls } = await viewTopic(STREAM);
  const failed = calls.filter((call) => !call.ok && ["sendMessage", "editMessageText", "pinChatMessage"].includes(call.method));
  expect(failed).toEqual([]);
}

describe("odd payloads", () => {
  for (const testCase of PAYLOAD_CASES) {
    it(testCase.name, async () => {
      const response = await postDelivery(testCase.event, testCase.payload(), { stream: STREAM });
      expect(response.status, await response.clone().text()).toBe(200);
      expect(await response.json()).toMatchObject({ ok: true, stream: STREAM, duplicate: false });
    });
  }

  it("all render one accepted card", async () => {
    const markers = PAYLOAD_CASES.flatMap((testCase) => (testCase.shows !== undefined ? [testCase.shows] : []));
    const view = await waitForCard(STREAM, (text) => markers.every((part) => text.includes(part)), CARD_TIMEOUT_MS);
    expectOnlyGitHubLinks(view.pinnedCards[0]!);
    await expectNoFailedSends();
  });
});

describe("titles reach Telegram escaped", () => {
  // Later than any other pull request in the stream, so these lead the open list.
  const base = Date.parse("2031-01-01T00:00:00Z");

  it("each title is answered 200", async () => {
    for (const [index, { name, title }] of TITLES.entries()) {
      const payload = pullRequestPayload({ number: 9101 + index, title, headRef: `title-${index}`, headSha: "d".repeat(40), updatedAt: new Date(base + index * 1000).toISOString() });
      const response = await postDelivery("pull_request", payload, { stream: STREAM });
      expect(response.status, name).toBe(200);
    }
  });

  it("card shows each title literally", async () => {
    const view = await waitForCard(STREAM, (text) => text.includes("#9101"), CARD_TIMEOUT_MS);
    const card = view.pinnedCards[0]!;
    for (const { name, title } of TITLES) expect(card.text, name).toContain(visibleTitle(title));
    expect(card.text.length).toBeLessThanOrEqual(4096);
    expectOnlyGitHubLinks(card);
    await expectNoFailedSends();
  });
});

describe("commands with junk", () => {
  let updateId = 610_000;

  /** Posts `text` as Alice (the chat's owner) in the stream's topic and returns the bot's replies to it. */
  async function command(text: string, chatId = testStreams[STREAM]!.chat_id, thread: number | undefined = testStreams[STREAM]!.message_thread_id) {
    const sent = (await emulatorPost("send", { chat_id: chatId, text, from: ALICE, ...(thread !== undefined ? { message_thread_id: thread } : {}) })) as {
      message: { message_id: number };
    };
    const response = await rawTelegram(JSON.stringify({ update_id: ++updateId, message: sent.message }));
    expect(response.status, text).toBe(200);
    const state = await emulatorState();
    const chat = state.chats.find((c) => c.id === chatId)!;
    return chat.messages.filter((m) => m.from.is_bot && !m.deleted && (m as { reply_to_message_id?: number }).reply_to_message_id === sent.message.message_id);
  }

  it("/status with @bot and words", async () => {
    const replies = await command("/status@tgk_sandbox_bot extra words");
    expect(replies).toHaveLength(1);
    expect(replies[0]!.text).toContain(`Stream ${STREAM}`);
  });

  it("/status for another bot", async () => {
    expect(await command("/status@someone_else_bot extra")).toHaveLength(0);
  });

  it("/repin with punctuation", async () => {
    const replies = await command("/repin!!!");
    expect(replies).toHaveLength(1);
    expect(replies[0]!.text).toMatch(/Repinning|try again in/);
  });

  it("/bind without a stream", async () => {
    const replies = await command("/bind");
    expect(replies[0]?.text).toContain("Usage: /bind <stream>");
  });

  it("/bind with bad names", async () => {
    for (const text of ["/bind Bad/Name", "/bind ../../etc", "/bind <b>x</b>", `/bind ${"a".repeat(200)}`]) {
      const replies = await command(text);
      expect(replies[0]?.text, text).toContain("Usage: /bind <stream>");
    }
  });

  it("unknown command", async () => {
    expect(await command("/nosuchcommand now")).toHaveLength(0);
  });

  it("chat that is not configured", async () => {
    const stranger = (await emulatorPost("chats", { title: "bad-input stranger", type: "supergroup", is_forum: true, topics: ["x"] })) as { id: number };
    expect(await command("/status extra", stranger.id, undefined)).toHaveLength(0);
    expect(await command("/repin!!!", stranger.id, undefined)).toHaveLength(0);
  });
});

describe("hub after bad input", () => {
  it("publishes a good delivery", async () => {
    const title = "Good delivery after bad input";
    const payload = pullRequestPayload({ number: 9200, title, headRef: "good", headSha: "e".repeat(40), updatedAt: "2032-01-01T00:00:00Z" });
    const response = await postDelivery("pull_request", payload, { stream: STREAM });
    expect(response.status).toBe(200);

    const view = await waitForCard(STREAM, (text) => text.includes(title), CARD_TIMEOUT_MS);
    expect(view.pinnedCards).toHaveLength(1);
    expect(view.botMessages).toHaveLength(1);
    expect(view.pinnedCards[0]!.text).toContain(`📋 ${STREAM}`);
    expectOnlyGitHubLinks(view.pinnedCards[0]!);
    await expectNoFailedSends();
  });
});
