import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseJson, runTgk, startReceiver, tempDir, type Receiver } from "./helpers.ts";

const SECRET = "receiver-secret";

let receiver: Receiver;
beforeAll(async () => {
  receiver = await startReceiver(SECRET);
});
afterAll(async () => {
  await receiver.close();
});

function lastPayload(): Record<string, any> {
  const last = receiver.deliveries.at(-1);
  if (!last) throw new Error("no delivery received");
  return JSON.parse(last.body) as Record<string, any>;
}

async function simulate(args: string[]) {
  return runTgk(["hook", "simulate", ...args, "--url", receiver.url, "--secret", SECRET]);
}

describe("tgk hook simulate", () => {
  it("signs and posts pull_request opened", async () => {
    const run = await simulate(["forum-polish", "--pr", "12", "--action", "opened", "--repo", "acme/widgets"]);
    expect(run.exitCode, run.stderr).toBe(0);

    const delivery = receiver.deliveries.at(-1);
    expect(delivery?.path).toBe("/github/forum-polish");
    expect(delivery?.headers["x-github-event"]).toBe("pull_request");
    expect(delivery?.headers["x-github-delivery"]).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(delivery?.headers["x-github-hook-id"]).toBe("424242");
    expect(delivery?.headers["user-agent"]).toMatch(/^GitHub-Hookshot\/[0-9a-f]{7}$/);
    expect(delivery?.headers["content-type"]).toBe("application/json");

    const payload = lastPayload();
    expect(payload.action).toBe("opened");
    expect(payload.number).toBe(12);
    expect(payload.repository.full_name).toBe("acme/widgets");
    expect(payload.repository.owner.login).toBe("acme");
    expect(payload.pull_request.html_url).toBe("https://github.com/acme/widgets/pull/12");
    expect(payload.pull_request.head.ref).toBe("tgk/pr-12");
    expect(payload.pull_request.head.sha).toMatch(/^[0-9a-f]{40}$/);
    expect(Date.now() - Date.parse(payload.pull_request.created_at)).toBeLessThan(60_000);
    expect(JSON.stringify(payload)).not.toContain("Codertocat/Hello-World");
    expect(run.stdout).toContain(`delivery=${delivery?.headers["x-github-delivery"]}`);
    expect(run.stdout).toMatch(/^200 pull_request /m);
  });

  it("maps every action to its event", async () => {
    const cases: Array<[string, string, (payload: Record<string, any>) => void]> = [
      ["review", "pull_request_review", (p) => {
        expect(p.action).toBe("submitted");
        expect(p.review.state).toBe("approved");
        expect(p.pull_request.number).toBe(5);
      }],
      ["push", "push", (p) => {
        expect(p.ref).toBe("refs/heads/tgk/pr-5");
        expect(p.after).not.toBe(p.before);
        expect(p.head_commit.id).toBe(p.after);
      }],
      ["merged", "pull_request", (p) => {
        expect(p.action).toBe("closed");
        expect(p.pull_request.merged).toBe(true);
        expect(p.pull_request.merged_at).toBe(p.pull_request.closed_at);
      }],
      ["closed", "pull_request", (p) => {
        expect(p.action).toBe("closed");
        expect(p.pull_request.merged).toBe(false);
      }],
      ["ci-pass", "check_suite", (p) => {
        expect(p.action).toBe("completed");
        expect(p.check_suite.conclusion).toBe("success");
      }],
      ["ci-fail", "check_suite", (p) => {
        expect(p.check_suite.conclusion).toBe("failure");
        expect(p.check_suite.head_branch).toBe("tgk/pr-5");
      }],
      ["release", "release", (p) => {
        expect(p.action).toBe("published");
        expect(p.release.tag_name).toBe("v1.0.0");
      }],
    ];
    for (const [action, event, check] of cases) {
      const run = await simulate(["mobile-app", "--pr", "5", "--action", action]);
      expect(run.exitCode, `${action}: ${run.stderr}`).toBe(0);
      expect(receiver.deliveries.at(-1)?.headers["x-github-event"], action).toBe(event);
      check(lastPayload());
    }
  });

  it("keeps the head SHA across runs for one PR", async () => {
    await simulate(["forum-polish", "--pr", "40", "--action", "opened"]);
    const openedSha = lastPayload().pull_request.head.sha as string;
    await simulate(["forum-polish", "--pr", "40", "--action", "ci-pass"]);
    expect(lastPayload().check_suite.head_sha).toBe(openedSha);
    const push = await simulate(["forum-polish", "--pr", "40", "--action", "push", "--json"]);
    const pushed = lastPayload();
    expect(pushed.before).toBe(openedSha);
    expect(parseJson(push).head_sha).toBe(pushed.after);
  });

  it("sends a burst with distinct delivery ids", async () => {
    const before = receiver.deliveries.length;
    const run = await simulate(["forum-polish", "--pr", "9", "--action", "ci-fail", "--count", "5", "--interval", "10", "--json"]);
    expect(run.exitCode, run.stderr).toBe(0);
    const result = parseJson(run);
    const deliveries = result.deliveries as Array<{ delivery: string; status: number }>;
    expect(deliveries).toHaveLength(5);
    expect(new Set(deliveries.map((d) => d.delivery)).size).toBe(5);
    expect(deliveries.every((d) => d.status === 200)).toBe(true);
    expect(receiver.deliveries.length - before).toBe(5);
  });

  it("runs two simulates at once", async () => {
    const before = receiver.deliveries.length;
    const [first, second] = await Promise.all([
      simulate(["forum-polish", "--pr", "1", "--action", "review", "--count", "3", "--json"]),
      simulate(["mobile-app", "--pr", "2", "--action", "review", "--count", "3", "--json"]),
    ]);
    expect(first.exitCode, first.stderr).toBe(0);
    expect(second.exitCode, second.stderr).toBe(0);
    const ids = receiver.deliveries.slice(before).map((d) => d.headers["x-github-delivery"]);
    expect(new Set(ids).size).toBe(6);
  });

  it("exits 1 when the signature is rejected", async () => {
    const run = await runTgk(["hook", "simulate", "forum-polish", "--pr", "3", "--action", "opened", "--url", receiver.url, "--secret", "wrong-secret"]);
    expect(run.exitCode).toBe(1);
    expect(run.stdout).toContain("401");
    expect(run.stderr).toContain("--secret");
    expect(run.stdout + run.stderr).not.toContain("wrong-secret");
  });

  it("reports an unreachable hub", async () => {
    const closed = await startReceiver(SECRET);
    await closed.close();
    const run = await runTgk(["hook", "simulate", "forum-polish", "--pr", "3", "--action", "opened", "--url", closed.url, "--json"]);
    expect(run.exitCode).toBe(1);
    expect(run.stderr).toContain(`could not reach the hub at ${closed.url}/github/forum-polish`);
    expect(run.stderr).toContain("npm start");
    expect(parseJson(run).ok).toBe(false);
  });

  it("rejects invalid arguments with exit 2", async () => {
    const cases = [
      ["forum-polish", "--action", "opened"],
      ["forum-polish", "--pr", "3", "--action", "reopened"],
      ["forum-polish", "--pr", "0", "--action", "opened"],
      ["forum-polish", "--pr", "3", "--action", "opened", "--repo", "no-slash"],
      ["forum-polish", "--pr", "3", "--action", "opened", "--count", "many"],
      ["--pr", "3", "--action", "opened"],
      ["forum-polish", "--pr", "3", "--action", "opened", "--bogus"],
    ];
    for (const args of cases) {
      const run = await runTgk(["hook", "simulate", ...args, "--url", receiver.url]);
      expect(run.exitCode, args.join(" ")).toBe(2);
      expect(run.stderr, args.join(" ")).toMatch(/^error: /);
      expect(run.stderr, args.join(" ")).toContain("tgk hook simulate --help");
    }
  });
});

describe("tgk hook replay", () => {
  it("replays saved deliveries unchanged", async () => {
    const folder = tempDir("saved");
    const saved = await simulate(["forum-polish", "--pr", "21", "--action", "opened", "--save", folder]);
    expect(saved.exitCode, saved.stderr).toBe(0);
    const [file] = readdirSync(folder);
    const original = JSON.parse(readFileSync(join(folder, file ?? ""), "utf8")) as { headers: Record<string, string>; body: string };

    const run = await runTgk(["hook", "replay", folder, "--url", receiver.url, "--json"]);
    expect(run.exitCode, run.stderr).toBe(0);
    const replayed = receiver.deliveries.at(-1);
    expect(replayed?.body).toBe(original.body);
    expect(replayed?.path).toBe("/github/forum-polish");
    expect(replayed?.headers["x-github-delivery"]).toBe(original.headers["x-github-delivery"]);
    const deliveries = parseJson(run).deliveries as Array<{ response: { duplicate: boolean } }>;
    expect(deliveries[0]?.response.duplicate).toBe(true);
  });

  it("re-signs only with --secret", async () => {
    const folder = tempDir("resign");
    const body = JSON.stringify({ zen: "Keep it logically awesome.", hook_id: 1 });
    writeFileSync(
      join(folder, "ping.json"),
      JSON.stringify({ headers: { "X-GitHub-Event": "ping", "X-GitHub-Delivery": "d-1", "X-Hub-Signature-256": "sha256=00", "Content-Type": "application/json" }, body }),
    );

    const unsigned = await runTgk(["hook", "replay", join(folder, "ping.json"), "--url", receiver.url, "--stream", "forum-polish"]);
    expect(unsigned.exitCode).toBe(1);
    expect(unsigned.stdout).toContain("401");
    expect(unsigned.stderr).toContain("pass --secret");

    const resigned = await runTgk(["hook", "replay", join(folder, "ping.json"), "--url", receiver.url, "--stream", "forum-polish", "--secret", SECRET, "--new-delivery-id"]);
    expect(resigned.exitCode, resigned.stderr).toBe(0);
    expect(receiver.deliveries.at(-1)?.headers["x-github-delivery"]).not.toBe("d-1");
    expect(resigned.stdout).not.toContain(SECRET);
  });

  it("rejects a malformed delivery file", async () => {
    const folder = tempDir("bad");
    mkdirSync(join(folder, "set"));
    writeFileSync(join(folder, "set", "a.json"), JSON.stringify({ headers: {}, body: {} }));
    const run = await runTgk(["hook", "replay", join(folder, "set"), "--url", receiver.url]);
    expect(run.exitCode).toBe(1);
    expect(run.stderr).toContain("invalid delivery");

    const missing = await runTgk(["hook", "replay", join(folder, "nope"), "--url", receiver.url]);
    expect(missing.exitCode).toBe(2);
    expect(missing.stderr).toContain("delivery path not found");
  });
});

describe("tgk help", () => {
  it("lists commands and exits 0", async () => {
    const run = await runTgk(["--help"]);
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toContain("hook simulate");
  });

  it("rejects an unknown command", async () => {
    const run = await runTgk(["frobnicate"]);
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toContain("unknown command");
  });
});
