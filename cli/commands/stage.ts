// `tgk stage create` and `tgk stage promote`: stages are wrangler environments (env.<name>), each a
// separate Worker (tgk-<name>) with its own Durable Object namespace, plus a git branch stage/<name>.
import { CliError, EXIT_OK, booleanOption, type Command } from "../lib/command.ts";
import { addWorktree, assertGitRepository, branchExists, git, hasUncommittedChanges, showFile } from "../lib/git.ts";
import { formatCommand } from "../lib/process.ts";
import {
  WRANGLER_CONFIG,
  assertStageName,
  editWranglerConfig,
  envArgs,
  findProjectRoot,
  parseWranglerText,
  readWranglerConfig,
  stageMigrationTags,
  type WranglerEnvironment,
} from "../lib/project.ts";
import { WranglerPlan, activeDeployment, uploadedVersionId, versionTag } from "../lib/wrangler.ts";

export const stageCreate: Command = {
  path: "stage create",
  usage: "<name> [--dry-run] [--no-commit]",
  summary: "Create a stage: env.<name> in wrangler.jsonc (Worker tgk-<name>, own Durable Object namespace) and branch stage/<name>.",
  positionals: [1, 1],
  options: {
    "dry-run": { type: "boolean", description: "Print the environment that would be added and change nothing." },
    "no-commit": { type: "boolean", description: "Leave the wrangler.jsonc change uncommitted and create the branch from HEAD as it is." },
  },
  details: [
    "The new environment copies the top-level vars and Durable Object bindings, because wrangler does not",
    "inherit either into an environment. Migrations are inherited from the top level. By default the",
    "wrangler.jsonc change is committed on the current branch (that file only) before stage/<name> is",
    "branched from it, so every branch knows every stage. Deploy the stage with `tgk deploy --stage <name>`.",
  ].join("\n"),

  async run({ values, positionals, out, cwd }) {
    const name = positionals[0] ?? "";
    assertStageName(name);
    const root = findProjectRoot(cwd);
    await assertGitRepository(root);
    const { config } = readWranglerConfig(root);
    const branch = `stage/${name}`;

    if (config.env?.[name]) {
      throw new CliError(`stage ${name} already exists: env.${name} is in ${WRANGLER_CONFIG}`, { hint: `Deploy it with \`tgk deploy --stage ${name}\`.` });
    }
    if (await branchExists(root, branch)) {
      throw new CliError(`branch ${branch} already exists`, { hint: `Delete it (\`git branch -D ${branch}\`) or pick another stage name.` });
    }
    const commit = !booleanOption(values, "no-commit");
    if (commit && (await hasUncommittedChanges(root, WRANGLER_CONFIG))) {
      throw new CliError(`${WRANGLER_CONFIG} has uncommitted changes, which the stage commit would include`, {
        hint: "Commit or discard them first, or pass --no-commit.",
      });
    }

    const workerName = `${config.name ?? "tgk"}-${name}`;
    const environment: WranglerEnvironment = {
      name: workerName,
      durable_objects: structuredClone(config.durable_objects ?? { bindings: [{ name: "TOPIC_AGENT", class_name: "TopicAgent" }] }),
      vars: structuredClone(config.vars ?? {}),
    };

    if (booleanOption(values, "dry-run")) {
      out.line(`would add env.${name} to ${WRANGLER_CONFIG}:`);
      out.line(JSON.stringify(environment, null, 2));
      out.line(`would create branch ${branch}`);
      out.result({ ok: true, dry_run: true, stage: name, worker: workerName, branch, environment });
      return EXIT_OK;
    }

    editWranglerConfig(root, ["env", name], environment);
    if (commit) {
      await git(root, ["commit", "--quiet", "-m", `Add stage ${name}`, "-m", `Adds env.${name} (Worker ${workerName}) so the stage deploys as its own Worker.`, "--", WRANGLER_CONFIG]);
    }
    await git(root, ["branch", branch]);

    out.line(`Added env.${name} to ${WRANGLER_CONFIG} (Worker ${workerName})${commit ? " and committed it" : ""}.`);
    out.line(`Created branch ${branch}.`);
    out.line("Next:");
    for (const secret of ["GITHUB_WEBHOOK_SECRET", "TELEGRAM_BOT_TOKEN", "TELEGRAM_WEBHOOK_SECRET"]) {
      out.line(`  ${formatCommand("npx", ["wrangler", "secret", "put", secret, "--env", name])}`);
    }
    out.line(`  tgk deploy --stage ${name}`);
    out.result({ ok: true, stage: name, worker: workerName, branch, committed: commit, environment });
    return EXIT_OK;
  },
};

/** Reads the migration tags a stage had at one commit. */
async function migrationTagsAt(root: string, commit: string, stage: string): Promise<string[]> {
  const config = parseWranglerText(await showFile(root, commit, WRANGLER_CONFIG), `${WRANGLER_CONFIG} at ${commit.slice(0, 12)}`);
  return stageMigrationTags(config, stage);
}

/** Finds the one version serving all of a stage's traffic and the commit it was deployed from. */
async function runningCommit(root: string, stage: string): Promise<{ versionId: string; commit: string | undefined }> {
  const deployment = await activeDeployment(root, stage);
  const [only] = deployment.versions;
  if (deployment.versions.length !== 1 || !only) {
    const split = deployment.versions.map((version) => `${version.version_id}@${version.percentage}%`).join(", ");
    throw new CliError(`stage ${stage} is split across versions (${split})`, {
      hint: `Finish or undo that rollout first (\`npx wrangler versions deploy --env ${stage}\`).`,
    });
  }
  return { versionId: only.version_id, commit: await versionTag(root, stage, only.version_id) };
}

export const stagePromote: Command = {
  path: "stage promote",
  usage: "<from> <to> [--yes] [--dry-run]",
  summary: "Promote the version running on stage <from> to stage <to> with versions upload + versions deploy (no downtime).",
  positionals: [2, 2],
  options: {
    yes: { type: "boolean", description: "Allow a plain `wrangler deploy` when the stages' Durable Object migrations differ." },
    "dry-run": { type: "boolean", description: "Look up the versions and print the wrangler commands without uploading or deploying." },
  },
  details: [
    "Steps: `wrangler deployments status` and `wrangler versions view` on <from> give the running version",
    "and the git commit `tgk deploy` tagged it with. That commit is checked out in a temporary worktree,",
    "uploaded to <to> with `wrangler versions upload --env <to> --tag <commit>` and sent all traffic with",
    "`wrangler versions deploy <id>@100 --env <to> --yes`; requests keep being served throughout.",
    "",
    "A version that changes Durable Object migrations cannot go through versions upload. When the",
    "migration tags at the two stages' commits differ, tgk explains this and runs a plain",
    "`wrangler deploy --env <to>` from the worktree only with --yes. After that, `tgk rollback` cannot",
    "go back past the migration.",
  ].join("\n"),

  async run({ values, positionals, out, cwd }) {
    const [from = "", to = ""] = positionals;
    assertStageName(from);
    assertStageName(to);
    if (from === to) throw new CliError(`cannot promote stage ${from} to itself`, { exitCode: 2 });
    const root = findProjectRoot(cwd);
    await assertGitRepository(root);
    const { config } = readWranglerConfig(root);
    for (const stage of [from, to]) {
      if (!config.env?.[stage]) throw new CliError(`stage ${stage} not found in ${WRANGLER_CONFIG}`, { hint: `Create it with \`tgk stage create ${stage}\`.` });
    }

    const lookup = out.progress(`Looking up the version running on ${from} and ${to}`);
    let source: { versionId: string; commit: string | undefined };
    let target: { versionId: string; commit: string | undefined } | undefined;
    try {
      source = await runningCommit(root, from);
      target = await runningCommit(root, to).catch(() => undefined);
      lookup.succeed();
    } catch (error) {
      lookup.fail();
      throw error;
    }
    const commit = source.commit;
    if (!commit || !/^[0-9a-f]{7,40}$/.test(commit)) {
      throw new CliError(`version ${source.versionId} on ${from} carries no git commit tag`, {
        hint: `Deploy ${from} with \`tgk deploy --stage ${from}\`, which tags each version with its commit, then promote again.`,
      });
    }

    const fromTags = await migrationTagsAt(root, commit, from);
    const toTags = target?.commit ? await migrationTagsAt(root, target.commit, to) : undefined;
    const migrationsDiffer = toTags === undefined || fromTags.join(",") !== toTags.join(",");
    const yes = booleanOption(values, "yes");
    const plan = new WranglerPlan(root, out, booleanOption(values, "dry-run"));
    const message = `tgk promote ${from} -> ${to} (${commit.slice(0, 12)})`;

    if (migrationsDiffer) {
      const known = toTags === undefined ? `the migrations on ${to} are unknown (its running version carries no commit tag)` : `${to} has [${toTags.join(", ")}]`;
      out.note(`Durable Object migrations differ: ${from} at ${commit.slice(0, 12)} has [${fromTags.join(", ")}], ${known}.`);
      out.note("`wrangler versions upload` cannot carry a migration, so this promotion needs a plain `wrangler deploy`,");
      out.note("which switches all traffic at once and cannot be rolled back past the migration.");
      if (!yes && !plan.dryRun) {
        throw new CliError(`promotion of ${from} to ${to} needs a plain wrangler deploy`, { hint: `Run \`tgk stage promote ${from} ${to} --yes\` to deploy it.` });
      }
    }

    const worktree = plan.dryRun ? undefined : await addWorktree(root, commit);
    const buildDir = worktree?.path ?? root;
    let versionId: string | undefined;
    try {
      if (migrationsDiffer) {
        await plan.change(["deploy", ...envArgs(to), "--tag", commit, "--message", message], `Deploying ${commit.slice(0, 12)} to ${to}`, { cwd: buildDir });
      } else {
        const upload = await plan.change(["versions", "upload", ...envArgs(to), "--tag", commit, "--message", message], `Uploading ${commit.slice(0, 12)} to ${to}`, { cwd: buildDir });
        versionId = upload ? uploadedVersionId(upload.stdout + upload.stderr) : "UPLOADED_VERSION_ID";
        await plan.change(["versions", "deploy", `${versionId}@100`, ...envArgs(to), "--message", message, "--yes"], `Sending all of ${to}'s traffic to ${versionId}`, { cwd: buildDir });
      }
    } finally {
      await worktree?.remove();
    }

    const mode = migrationsDiffer ? "deploy" : "versions";
    if (!plan.dryRun) out.line(`Promoted ${from} (version ${source.versionId}, commit ${commit.slice(0, 12)}) to ${to}${versionId ? ` as version ${versionId}` : ""}.`);
    out.result({ ok: true, dry_run: plan.dryRun, from, to, commit, source_version: source.versionId, version: plan.dryRun ? null : (versionId ?? null), mode, migrations: { from: fromTags, to: toTags ?? null }, commands: plan.commands });
    return EXIT_OK;
  },
};
