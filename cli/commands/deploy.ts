// `tgk deploy`: secrets check, type check and tests, then `wrangler deploy` tagged with the git commit.
import { CliError, EXIT_OK, booleanOption, stringOption, type Command } from "../lib/command.ts";
import { headCommit, hasUncommittedChanges } from "../lib/git.ts";
import { formatCommand, runTool } from "../lib/process.ts";
import { assertStageName, envArgs, findProjectRoot, readWranglerConfig, stageEnvironment, stageLabel } from "../lib/project.ts";
import { WranglerPlan, missingSecrets, secretPutCommand } from "../lib/wrangler.ts";
import type { Output } from "../lib/output.ts";

const CHECKS: Array<{ label: string; args: string[] }> = [
  { label: "Type-checking (npm run typecheck)", args: ["run", "typecheck"] },
  { label: "Running tests (npm test)", args: ["test"] },
];

/** Runs the project's checks with npm; a failure stops the deploy and shows the check's last lines. */
async function runChecks(root: string, out: Output): Promise<void> {
  for (const check of CHECKS) {
    const progress = out.progress(check.label);
    const result = await runTool("npm", check.args, { cwd: root });
    if (result.exitCode !== 0) {
      progress.fail();
      const tail = (result.stdout + result.stderr).trim().split("\n").slice(-15).join("\n");
      throw new CliError(`\`${formatCommand("npm", check.args)}\` failed with exit code ${result.exitCode}, so nothing was deployed:\n${tail}`, {
        hint: `Fix the failure and deploy again; \`${formatCommand("npm", check.args)}\` shows the full output.`,
      });
    }
    progress.succeed();
  }
}

/** Rejects the deploy when the stage lacks a secret the hub reads, naming the command that sets it. */
export async function assertSecretsPresent(root: string, stage: string | undefined, out: Output): Promise<void> {
  const progress = out.progress(`Checking secrets of ${stageLabel(stage)}`);
  let missing: string[];
  try {
    missing = await missingSecrets(root, stage);
  } catch (error) {
    progress.fail();
    throw error;
  }
  if (missing.length === 0) {
    progress.succeed();
    return;
  }
  progress.fail();
  const commands = missing.map((name) => `  ${secretPutCommand(name, stage)}`).join("\n");
  throw new CliError(`${stageLabel(stage)} is missing ${missing.length === 1 ? "secret" : "secrets"} ${missing.join(", ")}, so nothing was deployed`, {
    hint: `Set ${missing.length === 1 ? "it" : "them"} first:\n${commands}`,
  });
}

export const deploy: Command = {
  path: "deploy",
  usage: "[--stage <name>] [--dry-run] [--skip-checks]",
  summary: "Check secrets, run the type check and tests, then `wrangler deploy [--env <stage>]` tagged with the git commit.",
  positionals: [0, 0],
  options: {
    stage: { type: "string", valueName: "<name>", description: "Stage to deploy (env.<name> in wrangler.jsonc); without it, the top-level Worker." },
    "dry-run": { type: "boolean", description: "Print the checks and wrangler commands that would run, and run none of them." },
    "skip-checks": { type: "boolean", description: "Skip `npm run typecheck` and `npm test` (for emergencies and tests)." },
  },
  details: [
    "Order: `wrangler secret list --env <stage> --format json` (GITHUB_WEBHOOK_SECRET, TELEGRAM_BOT_TOKEN and",
    "TELEGRAM_WEBHOOK_SECRET must exist), `npm run typecheck`, `npm test`, then",
    "`wrangler deploy --env <stage> --tag <commit> --message ...`. The tag lets `tgk stage promote` find the",
    "commit a stage runs. A deploy applies new Durable Object migrations and switches all traffic at once.",
  ].join("\n"),

  async run({ values, out, cwd }) {
    const stage = stringOption(values, "stage");
    if (stage !== undefined) assertStageName(stage);
    const root = findProjectRoot(cwd);
    const { config } = readWranglerConfig(root);
    stageEnvironment(config, stage);
    const dryRun = booleanOption(values, "dry-run");
    const skipChecks = booleanOption(values, "skip-checks");

    const commit = await headCommit(root);
    const dirty = await hasUncommittedChanges(root, ".");
    if (dirty) out.note(`warning: the working tree has uncommitted changes; the deploy is tagged ${commit.slice(0, 12)} but includes them.`);
    const deployArgs = ["deploy", ...envArgs(stage), "--tag", commit, "--message", `tgk deploy ${commit.slice(0, 12)}${dirty ? " with uncommitted changes" : ""}`];

    if (dryRun) {
      const planned = [
        ["wrangler", "secret", "list", ...envArgs(stage), "--format", "json"],
        ...(skipChecks ? [] : CHECKS.map((check) => ["npm", ...check.args])),
        ["wrangler", ...deployArgs],
      ];
      for (const command of planned) out.line(`would run: ${formatCommand(command[0] ?? "", command.slice(1))}`);
      out.result({ ok: true, dry_run: true, stage: stage ?? null, commit, commands: planned });
      return EXIT_OK;
    }

    await assertSecretsPresent(root, stage, out);
    if (!skipChecks) await runChecks(root, out);

    const plan = new WranglerPlan(root, out, false);
    const result = await plan.change(deployArgs, `Deploying ${stageLabel(stage)} (wrangler deploy)`, {
      hint: "Read the wrangler output above. A migration error means the Durable Object classes in wrangler.jsonc and src/ disagree.",
    });
    const url = /https:\/\/\S+\.workers\.dev/.exec(result?.stdout ?? "")?.[0];
    out.line(`Deployed ${stageLabel(stage)} at commit ${commit.slice(0, 12)}${url ? `: ${url}` : ""}.`);
    out.result({ ok: true, dry_run: false, stage: stage ?? null, commit, url: url ?? null, commands: [["wrangler", ...deployArgs]] });
    return EXIT_OK;
  },
};
