import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "jsonc-parser";
import { describe, expect, it } from "vitest";
import { fakeTools, parseJson, projectEnv, runTgk, tempProject } from "./helpers.ts";

const ALL_SECRETS = JSON.stringify([
  { name: "GITHUB_WEBHOOK_SECRET", type: "secret_text" },
  { name: "TELEGRAM_BOT_TOKEN", type: "secret_text" },
  { name: "TELEGRAM_WEBHOOK_SECRET", type: "secret_text" },
]);

async function stagedProject() {
  const project = await tempProject();
  const run = await runTgk(["stage", "create", "staging"], { cwd: project.root, env: projectEnv(fakeTools()) });
  expect(run.exitCode, run.stderr).toBe(0);
  return { ...project, commit: await project.git(["rev-parse", "HEAD"]) };
}

describe("tgk deploy", () => {
  it("checks, tests, then deploys tagged", async () => {
    const project = await stagedProject();
    const tools = fakeTools({ "wrangler secret list": { stdout: ALL_SECRETS }, "wrangler deploy": { stdout: "Deployed tgk-staging\n  https://tgk-staging.example.workers.dev\n" } });
    const run = await runTgk(["deploy", "--stage", "staging", "--json"], { cwd: project.root, env: projectEnv(tools) });
    expect(run.exitCode, run.stderr).toBe(0);

    expect(tools.calls().map((call) => [call.tool, ...call.argv])).toEqual([
      ["wrangler", "secret", "list", "--env", "staging", "--format", "json"],
      ["npm", "run", "typecheck"],
      ["npm", "test"],
      ["wrangler", "deploy", "--env", "staging", "--tag", project.commit, "--message", `tgk deploy ${project.commit.slice(0, 12)}`],
    ]);
    const result = parseJson(run);
    expect(result.url).toBe("https://tgk-staging.example.workers.dev");
    expect(result.commit).toBe(project.commit);
  });

  it("deploys the top-level Worker without --env", async () => {
    const project = await stagedProject();
    const tools = fakeTools({ "wrangler secret list": { stdout: ALL_SECRETS } });
    const run = await runTgk(["deploy", "--skip-checks"], { cwd: project.root, env: projectEnv(tools) });
    expect(run.exitCode, run.stderr).toBe(0);
    expect(tools.calls().map((call) => call.argv.slice(0, 3))).toEqual([
      ["secret", "list", "--format"],
      ["deploy", "--tag", project.commit],
    ]);
  });

  it("rejects a missing secret by name", async () => {
    const project = await stagedProject();
    const tools = fakeTools({ "wrangler secret list": { stdout: JSON.stringify([{ name: "GITHUB_WEBHOOK_SECRET", type: "secret_text" }]) } });
    const run = await runTgk(["deploy", "--stage", "staging"], { cwd: project.root, env: projectEnv(tools) });
    expect(run.exitCode).toBe(1);
    expect(run.stderr).toContain("stage staging is missing secrets TELEGRAM_BOT_TOKEN, TELEGRAM_WEBHOOK_SECRET");
    expect(run.stderr).toContain("npx wrangler secret put TELEGRAM_BOT_TOKEN --env staging");
    expect(run.stderr).toContain("npx wrangler secret put TELEGRAM_WEBHOOK_SECRET --env staging");
    expect(tools.calls().some((call) => call.argv[0] === "deploy")).toBe(false);
  });

  it("stops when the tests fail", async () => {
    const project = await stagedProject();
    const tools = fakeTools({ "wrangler secret list": { stdout: ALL_SECRETS }, "npm test": { stdout: "FAIL test/worker/card.test.ts\n", exitCode: 1 } });
    const run = await runTgk(["deploy", "--stage", "staging"], { cwd: project.root, env: projectEnv(tools) });
    expect(run.exitCode).toBe(1);
    expect(run.stderr).toContain("`npm test` failed with exit code 1, so nothing was deployed");
    expect(run.stderr).toContain("FAIL test/worker/card.test.ts");
    expect(tools.calls().some((call) => call.argv[0] === "deploy")).toBe(false);
  });

  it("reports a failed wrangler deploy", async () => {
    const project = await stagedProject();
    const tools = fakeTools({ "wrangler secret list": { stdout: ALL_SECRETS }, "wrangler deploy": { stderr: "✘ [ERROR] A request to the Cloudflare API failed.\n", exitCode: 1 } });
    const run = await runTgk(["deploy", "--stage", "staging", "--skip-checks", "--json"], { cwd: project.root, env: projectEnv(tools) });
    expect(run.exitCode).toBe(1);
    expect(run.stderr).toContain("A request to the Cloudflare API failed.");
    expect(parseJson(run).ok).toBe(false);
  });

  it("prints the plan with --dry-run", async () => {
    const project = await stagedProject();
    const tools = fakeTools();
    const run = await runTgk(["deploy", "--stage", "staging", "--dry-run", "--json"], { cwd: project.root, env: projectEnv(tools) });
    expect(run.exitCode, run.stderr).toBe(0);
    expect(parseJson(run).commands).toEqual([
      ["wrangler", "secret", "list", "--env", "staging", "--format", "json"],
      ["npm", "run", "typecheck"],
      ["npm", "test"],
      ["wrangler", "deploy", "--env", "staging", "--tag", project.commit, "--message", `tgk deploy ${project.commit.slice(0, 12)}`],
    ]);
    expect(tools.calls()).toEqual([]);
  });

  it("rejects an unknown stage", async () => {
    const project = await stagedProject();
    const tools = fakeTools();
    const run = await runTgk(["deploy", "--stage", "qa"], { cwd: project.root, env: projectEnv(tools) });
    expect(run.exitCode).toBe(1);
    expect(run.stderr).toContain('stage "qa" not found');
    expect(run.stderr).toContain("Known stages: staging");
    expect(tools.calls()).toEqual([]);
  });
});

describe("tgk rollback", () => {
  it("wraps wrangler rollback", async () => {
    const project = await stagedProject();
    const tools = fakeTools();
    const run = await runTgk(["rollback", "--stage", "staging", "--version", "abc", "--yes"], { cwd: project.root, env: projectEnv(tools) });
    expect(run.exitCode, run.stderr).toBe(0);
    expect(tools.calls().map((call) => call.argv)).toEqual([["rollback", "abc", "--env", "staging", "--message", "tgk rollback", "--yes"]]);
  });

  it("names the relay fallback on failure", async () => {
    const project = await stagedProject();
    const tools = fakeTools({ "wrangler rollback": { stderr: "✘ [ERROR] Cannot rollback across a migration\n", exitCode: 1 } });
    const run = await runTgk(["rollback", "--stage", "staging", "--yes"], { cwd: project.root, env: projectEnv(tools) });
    expect(run.exitCode).toBe(1);
    expect(run.stderr).toContain("Cannot rollback across a migration");
    expect(run.stderr).toContain("tgk rollback --stateless");
  });

  it("switches to relay and back", async () => {
    const project = await stagedProject();
    const tools = fakeTools({ "wrangler secret list": { stdout: ALL_SECRETS } });
    const file = join(project.root, "wrangler.jsonc");

    const stateless = await runTgk(["rollback", "--stage", "staging", "--stateless", "--json"], { cwd: project.root, env: projectEnv(tools) });
    expect(stateless.exitCode, stateless.stderr).toBe(0);
    let config = parse(readFileSync(file, "utf8")) as Record<string, any>;
    expect(config.env.staging.vars.PUBLISH_MODE).toBe("relay");
    expect(config.vars.PUBLISH_MODE).not.toBe("relay");
    expect(readFileSync(file, "utf8")).toContain("// Stream used when the path names none");
    expect(parseJson(stateless).previous_mode).toBe("card");

    const stateful = await runTgk(["rollback", "--stage", "staging", "--stateful"], { cwd: project.root, env: projectEnv(tools) });
    expect(stateful.exitCode, stateful.stderr).toBe(0);
    config = parse(readFileSync(file, "utf8")) as Record<string, any>;
    expect(config.env.staging.vars.PUBLISH_MODE).toBe("card");

    const deploys = tools.calls().filter((call) => call.argv[0] === "deploy").map((call) => call.argv);
    expect(deploys).toEqual([
      ["deploy", "--env", "staging", "--message", "tgk rollback: PUBLISH_MODE relay"],
      ["deploy", "--env", "staging", "--message", "tgk rollback: PUBLISH_MODE card"],
    ]);
  });

  it("restores the config when deploy fails", async () => {
    const project = await stagedProject();
    const file = join(project.root, "wrangler.jsonc");
    const before = readFileSync(file, "utf8");
    const tools = fakeTools({ "wrangler secret list": { stdout: ALL_SECRETS }, "wrangler deploy": { stderr: "network down\n", exitCode: 1 } });
    const run = await runTgk(["rollback", "--stage", "staging", "--stateless"], { cwd: project.root, env: projectEnv(tools) });
    expect(run.exitCode).toBe(1);
    expect(run.stderr).toContain("was restored as it was before");
    expect(readFileSync(file, "utf8")).toBe(before);
  });

  it("leaves the config alone with --dry-run", async () => {
    const project = await stagedProject();
    const file = join(project.root, "wrangler.jsonc");
    const before = readFileSync(file, "utf8");
    const tools = fakeTools();
    const run = await runTgk(["rollback", "--stateless", "--dry-run"], { cwd: project.root, env: projectEnv(tools) });
    expect(run.exitCode, run.stderr).toBe(0);
    expect(run.stdout).toContain('would set vars.PUBLISH_MODE to "relay"');
    expect(run.stdout).toContain("would run: wrangler deploy --message");
    expect(readFileSync(file, "utf8")).toBe(before);
    expect(tools.calls()).toEqual([]);
  });

  it("rejects both modes at once", async () => {
    const project = await stagedProject();
    const run = await runTgk(["rollback", "--stateless", "--stateful"], { cwd: project.root });
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toContain("cannot be used together");
  });

  it("keeps relay mode out of other stages", async () => {
    const project = await stagedProject();
    writeFileSync(join(project.root, "extra.txt"), "unrelated\n");
    const tools = fakeTools({ "wrangler secret list": { stdout: ALL_SECRETS } });
    const run = await runTgk(["rollback", "--stateless"], { cwd: project.root, env: projectEnv(tools) });
    expect(run.exitCode, run.stderr).toBe(0);
    const config = parse(readFileSync(join(project.root, "wrangler.jsonc"), "utf8")) as Record<string, any>;
    expect(config.vars.PUBLISH_MODE).toBe("relay");
    expect(config.env.staging.vars.PUBLISH_MODE).not.toBe("relay");
  });
});
