import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "jsonc-parser";
import { describe, expect, it } from "vitest";
import { fakeTools, parseJson, projectEnv, runTgk, tempProject } from "./helpers.ts";

const FROM_VERSION = "11111111-1111-4111-8111-111111111111";
const TO_VERSION = "22222222-2222-4222-8222-222222222222";
const NEW_VERSION = "33333333-3333-4333-8333-333333333333";

function readConfig(root: string): Record<string, any> {
  return parse(readFileSync(join(root, "wrangler.jsonc"), "utf8")) as Record<string, any>;
}

describe("tgk stage create", () => {
  it("adds env and branch, keeping comments", async () => {
    const project = await tempProject();
    const tools = fakeTools();
    const run = await runTgk(["stage", "create", "staging", "--json"], { cwd: project.root, env: projectEnv(tools) });
    expect(run.exitCode, run.stderr).toBe(0);

    const text = readFileSync(join(project.root, "wrangler.jsonc"), "utf8");
    expect(text).toContain("// Quiet time after the latest delivery before the card is republished.");
    const config = readConfig(project.root);
    expect(config.env.staging.name).toBe("tgk-staging");
    expect(config.env.staging.durable_objects.bindings).toEqual(config.durable_objects.bindings);
    expect(config.env.staging.vars).toEqual(config.vars);
    expect(config.env.staging.migrations).toBeUndefined();

    expect(await project.git(["branch", "--list", "stage/staging"])).toContain("stage/staging");
    expect(await project.git(["log", "-1", "--format=%s"])).toBe("Add stage staging");
    expect(await project.git(["status", "--porcelain"])).toBe("");
    expect(await project.git(["rev-parse", "stage/staging"])).toBe(await project.git(["rev-parse", "HEAD"]));
    expect(parseJson(run).worker).toBe("tgk-staging");
    expect(tools.calls()).toEqual([]);
  });

  it("rejects an existing stage", async () => {
    const project = await tempProject();
    const tools = fakeTools();
    await runTgk(["stage", "create", "staging"], { cwd: project.root, env: projectEnv(tools) });
    const again = await runTgk(["stage", "create", "staging"], { cwd: project.root, env: projectEnv(tools) });
    expect(again.exitCode).toBe(1);
    expect(again.stderr).toContain("stage staging already exists");
  });

  it("rejects an invalid name", async () => {
    const project = await tempProject();
    const run = await runTgk(["stage", "create", "Prod_1"], { cwd: project.root });
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toContain("invalid stage name");
  });

  it("changes nothing with --dry-run", async () => {
    const project = await tempProject();
    const before = readFileSync(join(project.root, "wrangler.jsonc"), "utf8");
    const run = await runTgk(["stage", "create", "canary", "--dry-run"], { cwd: project.root });
    expect(run.exitCode, run.stderr).toBe(0);
    expect(run.stdout).toContain('"name": "tgk-canary"');
    expect(readFileSync(join(project.root, "wrangler.jsonc"), "utf8")).toBe(before);
    expect(await project.git(["branch", "--list", "stage/canary"])).toBe("");
  });

  it("refuses to commit over local edits", async () => {
    const project = await tempProject();
    const file = join(project.root, "wrangler.jsonc");
    writeFileSync(file, readFileSync(file, "utf8") + "\n");
    const run = await runTgk(["stage", "create", "staging"], { cwd: project.root });
    expect(run.exitCode).toBe(1);
    expect(run.stderr).toContain("uncommitted changes");
    expect(run.stderr).toContain("--no-commit");
  });
});

/** Creates stages staging and production and returns the commit both were created at. */
async function projectWithStages() {
  const project = await tempProject();
  const setup = fakeTools();
  for (const stage of ["staging", "production"]) {
    const run = await runTgk(["stage", "create", stage], { cwd: project.root, env: projectEnv(setup) });
    expect(run.exitCode, run.stderr).toBe(0);
  }
  return { project, commit: await project.git(["rev-parse", "HEAD"]) };
}

function deploymentResponses(fromCommit: string, toCommit: string | undefined) {
  return {
    "wrangler deployments status --env staging --json": { stdout: JSON.stringify({ id: "d1", versions: [{ version_id: FROM_VERSION, percentage: 100 }] }) },
    "wrangler deployments status --env production --json": { stdout: JSON.stringify({ id: "d2", versions: [{ version_id: TO_VERSION, percentage: 100 }] }) },
    [`wrangler versions view ${FROM_VERSION} --env staging --json`]: { stdout: JSON.stringify({ id: FROM_VERSION, annotations: { "workers/tag": fromCommit } }) },
    [`wrangler versions view ${TO_VERSION} --env production --json`]: { stdout: JSON.stringify({ id: TO_VERSION, annotations: toCommit ? { "workers/tag": toCommit } : {} }) },
    "wrangler versions upload": { stdout: `Uploaded tgk-production\nWorker Version ID: ${NEW_VERSION}\n` },
  };
}

describe("tgk stage promote", () => {
  it("uploads and deploys the running version", async () => {
    const { project, commit } = await projectWithStages();
    const tools = fakeTools(deploymentResponses(commit, commit));
    const run = await runTgk(["stage", "promote", "staging", "production", "--json"], { cwd: project.root, env: projectEnv(tools) });
    expect(run.exitCode, run.stderr).toBe(0);

    const calls = tools.calls().filter((call) => call.argv[0] === "versions" && call.argv[1] !== "view");
    const message = `tgk promote staging -> production (${commit.slice(0, 12)})`;
    expect(calls.map((call) => call.argv)).toEqual([
      ["versions", "upload", "--env", "production", "--tag", commit, "--message", message],
      ["versions", "deploy", `${NEW_VERSION}@100`, "--env", "production", "--message", message, "--yes"],
    ]);
    expect(calls[0]?.cwd).not.toBe(project.root);
    expect(calls[0]?.cwd).toContain("tgk-worktree-");
    expect(await project.git(["worktree", "list"])).not.toContain("tgk-worktree-");

    const result = parseJson(run);
    expect(result.mode).toBe("versions");
    expect(result.version).toBe(NEW_VERSION);
  });

  it("needs --yes when migrations differ", async () => {
    const { project, commit: oldCommit } = await projectWithStages();
    const file = join(project.root, "wrangler.jsonc");
    const text = readFileSync(file, "utf8").replace(/"migrations": \[(\{[^\]]*\]\s*\})\]/, '"migrations": [$1, { "tag": "v2", "new_sqlite_classes": ["RepoAgent"] }]');
    expect(text).toContain('"v2"');
    writeFileSync(file, text);
    await project.git(["commit", "--quiet", "-am", "Add v2 migration"]);
    const newCommit = await project.git(["rev-parse", "HEAD"]);
    const tools = fakeTools(deploymentResponses(newCommit, oldCommit));

    const refused = await runTgk(["stage", "promote", "staging", "production"], { cwd: project.root, env: projectEnv(tools) });
    expect(refused.exitCode).toBe(1);
    expect(refused.stderr).toContain("staging at");
    expect(refused.stderr).toContain("[v1, v2]");
    expect(refused.stderr).toContain("production has [v1]");
    expect(refused.stderr).toContain("`wrangler versions upload` cannot carry a migration");
    expect(refused.stderr).toContain("--yes");
    expect(tools.calls().some((call) => call.argv[0] === "deploy" || call.argv[1] === "upload")).toBe(false);

    const accepted = await runTgk(["stage", "promote", "staging", "production", "--yes", "--json"], { cwd: project.root, env: projectEnv(tools) });
    expect(accepted.exitCode, accepted.stderr).toBe(0);
    const deploys = tools.calls().filter((call) => call.argv[0] === "deploy");
    expect(deploys.map((call) => call.argv)).toEqual([
      ["deploy", "--env", "production", "--tag", newCommit, "--message", `tgk promote staging -> production (${newCommit.slice(0, 12)})`],
    ]);
    expect(tools.calls().some((call) => call.argv[1] === "upload")).toBe(false);
    expect(parseJson(accepted).mode).toBe("deploy");
  });

  it("prints the plan with --dry-run", async () => {
    const { project, commit } = await projectWithStages();
    const tools = fakeTools(deploymentResponses(commit, commit));
    const run = await runTgk(["stage", "promote", "staging", "production", "--dry-run"], { cwd: project.root, env: projectEnv(tools) });
    expect(run.exitCode, run.stderr).toBe(0);
    expect(run.stdout).toContain(`would run: wrangler versions upload --env production --tag ${commit}`);
    expect(run.stdout).toContain("would run: wrangler versions deploy UPLOADED_VERSION_ID@100 --env production");
    expect(tools.calls().some((call) => call.argv[1] === "upload" || call.argv[1] === "deploy")).toBe(false);
  });

  it("rejects a version without a commit tag", async () => {
    const { project } = await projectWithStages();
    const responses = deploymentResponses("", undefined);
    responses[`wrangler versions view ${FROM_VERSION} --env staging --json`] = { stdout: JSON.stringify({ id: FROM_VERSION, annotations: {} }) };
    const tools = fakeTools(responses);
    const run = await runTgk(["stage", "promote", "staging", "production"], { cwd: project.root, env: projectEnv(tools) });
    expect(run.exitCode).toBe(1);
    expect(run.stderr).toContain(`version ${FROM_VERSION} on staging carries no git commit tag`);
    expect(run.stderr).toContain("tgk deploy --stage staging");
  });

  it("rejects a split rollout", async () => {
    const { project, commit } = await projectWithStages();
    const responses = deploymentResponses(commit, commit);
    responses["wrangler deployments status --env staging --json"] = {
      stdout: JSON.stringify({ versions: [{ version_id: FROM_VERSION, percentage: 50 }, { version_id: TO_VERSION, percentage: 50 }] }),
    };
    const tools = fakeTools(responses);
    const run = await runTgk(["stage", "promote", "staging", "production"], { cwd: project.root, env: projectEnv(tools) });
    expect(run.exitCode).toBe(1);
    expect(run.stderr).toContain("split across versions");
  });

  it("rejects an unknown stage", async () => {
    const { project } = await projectWithStages();
    const run = await runTgk(["stage", "promote", "staging", "qa"], { cwd: project.root });
    expect(run.exitCode).toBe(1);
    expect(run.stderr).toContain("stage qa not found");
  });
});
