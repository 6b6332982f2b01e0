// `tgk rollback`: back to an earlier Worker version with `wrangler rollback`, or switch a stage to the
// stateless relay fallback (PUBLISH_MODE "relay") and back.
import { CliError, EXIT_OK, UsageError, booleanOption, stringOption, type Command } from "../lib/command.ts";
import { WRANGLER_CONFIG, assertStageName, editWranglerConfig, envArgs, findProjectRoot, readWranglerConfig, restoreWranglerConfig, stageLabel, stageVars } from "../lib/project.ts";
import { WranglerPlan } from "../lib/wrangler.ts";
import { assertSecretsPresent } from "./deploy.ts";

export const rollback: Command = {
  path: "rollback",
  usage: "[--stage <name>] [--version <id>] [--stateless | --stateful] [--yes] [--dry-run]",
  summary: "Roll a stage back with `wrangler rollback`, or switch it to the stateless relay (--stateless) and back (--stateful).",
  positionals: [0, 0],
  options: {
    stage: { type: "string", valueName: "<name>", description: "Stage to roll back; without it, the top-level Worker." },
    version: { type: "string", valueName: "<id>", description: "Version to roll back to (default: the one before the current, as wrangler picks)." },
    message: { type: "string", valueName: "<text>", description: "Reason recorded with the rollback.", default: "tgk rollback" },
    stateless: { type: "boolean", description: "Set PUBLISH_MODE to \"relay\": each delivery is posted as a plain message, with no Durable Object." },
    stateful: { type: "boolean", description: "Set PUBLISH_MODE back to \"card\", the pinned status card." },
    yes: { type: "boolean", description: "Answer wrangler's confirmation prompt with yes." },
    "dry-run": { type: "boolean", description: "Print the edit and wrangler commands and change nothing." },
  },
  details: [
    "`wrangler rollback` reaches the 10 most recent versions and cannot cross a Durable Object migration.",
    "When the version to go back to is out of reach, --stateless is the fallback: it edits PUBLISH_MODE in",
    "the stage's vars in wrangler.jsonc (comments kept) and runs `wrangler deploy`. Commit that edit so the",
    "next deploy keeps the mode you chose.",
  ].join("\n"),

  async run({ values, out, cwd }) {
    const stage = stringOption(values, "stage");
    if (stage !== undefined) assertStageName(stage);
    const stateless = booleanOption(values, "stateless");
    const stateful = booleanOption(values, "stateful");
    if (stateless && stateful) throw new UsageError("--stateless and --stateful cannot be used together", "rollback");
    const root = findProjectRoot(cwd);
    const { config, text: originalText } = readWranglerConfig(root);
    const vars = stageVars(config, stage);
    const plan = new WranglerPlan(root, out, booleanOption(values, "dry-run"));
    const message = stringOption(values, "message") ?? "tgk rollback";

    if (!stateless && !stateful) {
      const version = stringOption(values, "version");
      const args = ["rollback", ...(version ? [version] : []), ...envArgs(stage), "--message", message, ...(booleanOption(values, "yes") ? ["--yes"] : [])];
      await plan.change(args, `Rolling back ${stageLabel(stage)}`, {
        hint: "wrangler rollback reaches only the 10 most recent versions and not across a Durable Object migration. If that is the blocker, run `tgk rollback --stateless` to switch to the relay fallback.",
      });
      if (!plan.dryRun) out.line(`Rolled back ${stageLabel(stage)}${version ? ` to version ${version}` : ""}.`);
      out.result({ ok: true, dry_run: plan.dryRun, stage: stage ?? null, mode: "rollback", commands: plan.commands });
      return EXIT_OK;
    }

    const mode = stateless ? "relay" : "card";
    const path = stage === undefined ? ["vars", "PUBLISH_MODE"] : ["env", stage, "vars", "PUBLISH_MODE"];
    const previous = typeof vars.PUBLISH_MODE === "string" ? vars.PUBLISH_MODE : "card";
    if (previous === mode) out.note(`PUBLISH_MODE of ${stageLabel(stage)} is already "${mode}"; deploying it again.`);

    if (plan.dryRun) {
      out.line(`would set ${path.join(".")} to "${mode}" in ${WRANGLER_CONFIG}`);
    } else {
      // The secrets check comes before the edit so a refused switch leaves the file untouched.
      await assertSecretsPresent(root, stage, out);
      editWranglerConfig(root, path, mode);
    }

    try {
      await plan.change(["deploy", ...envArgs(stage), "--message", `tgk rollback: PUBLISH_MODE ${mode}`], `Deploying ${stageLabel(stage)} with PUBLISH_MODE "${mode}"`);
    } catch (error) {
      if (!plan.dryRun) restoreWranglerConfig(root, originalText);
      throw error instanceof CliError ? new CliError(`${error.message}\n${WRANGLER_CONFIG} was restored as it was before.`, error.hint ? { hint: error.hint } : {}) : error;
    }

    if (!plan.dryRun) {
      out.line(`${stageLabel(stage)} now runs with PUBLISH_MODE "${mode}"${mode === "relay" ? " (plain messages, no status card)" : " (pinned status card)"}.`);
      out.line(`Commit ${WRANGLER_CONFIG} so the next deploy keeps this mode.`);
    }
    out.result({ ok: true, dry_run: plan.dryRun, stage: stage ?? null, mode, previous_mode: previous, commands: plan.commands });
    return EXIT_OK;
  },
};
