// `tgk logs`: `wrangler tail --format json`, printed as one readable line per hub log line.
import { createReadStream } from "node:fs";
import { EXIT_OK, booleanOption, integerOption, stringOption, type Command } from "../lib/command.ts";
import { registerSecret, redact } from "../lib/output.ts";
import { runTool } from "../lib/process.ts";
import { assertStageName, envArgs, findProjectRoot, readWranglerConfig, stageEnvironment, stageLabel } from "../lib/project.ts";
import { CliError } from "../lib/command.ts";
import { JsonObjectSplitter, entriesOfTailEvent, summarizeEntry, type TailEntry } from "../logs/tail-format.ts";

const DEFAULT_DURATION_S = 60;

export const logs: Command = {
  path: "logs",
  usage: "[--stage <name>] [--follow] [--delivery <id>] [--stream <name>] [--input <file|->]",
  summary: "Tail a stage's logs (`wrangler tail --format json`) as one readable line per hub log line.",
  positionals: [0, 0],
  options: {
    stage: { type: "string", valueName: "<name>", description: "Stage to tail; without it, the top-level Worker." },
    follow: { type: "boolean", short: "f", description: "Keep tailing until interrupted (Ctrl-C)." },
    seconds: { type: "string", valueName: "<s>", description: "Without --follow, stop tailing after this many seconds.", default: String(DEFAULT_DURATION_S) },
    delivery: { type: "string", valueName: "<id>", description: "Show only lines of this X-GitHub-Delivery id." },
    stream: { type: "string", valueName: "<name>", description: "Show only lines of this stream." },
    input: { type: "string", valueName: "<file|->", description: "Read saved `wrangler tail --format json` output from a file or stdin instead of tailing." },
  },
  details: [
    "Each line reads `time LEVEL msg delivery=... event=pull_request.opened stream=... chat=<chat_id>/<thread>",
    "method=... outcome=... error=<code> <duration>ms`; fields the hub left out are omitted. Console output",
    "that is not a hub log line and uncaught exceptions are printed too. With --json each hub log line is",
    "printed as one compact JSON object per line (JSON Lines), not one document.",
  ].join("\n"),

  async run({ values, out, cwd }) {
    const stage = stringOption(values, "stage");
    if (stage !== undefined) assertStageName(stage);
    const follow = booleanOption(values, "follow");
    const seconds = integerOption(values, "seconds", "logs", { min: 1, max: 86_400, fallback: DEFAULT_DURATION_S }) ?? DEFAULT_DURATION_S;
    const deliveryFilter = stringOption(values, "delivery");
    const streamFilter = stringOption(values, "stream");
    const input = stringOption(values, "input");
    registerSecret(process.env.TELEGRAM_BOT_TOKEN);

    const splitter = new JsonObjectSplitter();
    let printed = 0;
    const show = (entry: TailEntry): void => {
      if (deliveryFilter !== undefined && (entry.kind !== "hub" || entry.line.delivery_id !== deliveryFilter)) return;
      if (streamFilter !== undefined && (entry.kind !== "hub" || entry.line.stream !== streamFilter)) return;
      printed += 1;
      // JSON Lines stream as they arrive, so --json bypasses the single-document result.
      if (out.json) process.stdout.write(redact(JSON.stringify(entry.kind === "hub" ? entry.line : entry)) + "\n");
      else out.line(summarizeEntry(entry));
    };
    const consume = (chunk: string): void => {
      for (const text of splitter.push(chunk)) {
        let event: unknown;
        try {
          event = JSON.parse(text);
        } catch {
          continue;
        }
        for (const entry of entriesOfTailEvent(event)) show(entry);
      }
    };

    if (input !== undefined) {
      const stream = input === "-" ? process.stdin : createReadStream(input);
      try {
        for await (const chunk of stream) consume(typeof chunk === "string" ? chunk : (chunk as Buffer).toString("utf8"));
      } catch (error) {
        throw new CliError(`could not read ${input}: ${error instanceof Error ? error.message : String(error)}`, { exitCode: 2 });
      }
      if (printed === 0) out.note("no matching log lines");
      return EXIT_OK;
    }

    const root = findProjectRoot(cwd);
    stageEnvironment(readWranglerConfig(root).config, stage);
    const args = ["tail", ...envArgs(stage), "--format", "json"];
    out.note(follow ? `Tailing ${stageLabel(stage)}; press Ctrl-C to stop.` : `Tailing ${stageLabel(stage)} for ${seconds} s (pass --follow to keep going).`);
    // Ctrl-C reaches wrangler too; tgk waits for it to exit instead of dying first.
    const ignoreInterrupt = (): void => {};
    process.on("SIGINT", ignoreInterrupt);
    let result;
    try {
      result = await runTool("wrangler", args, { cwd: root, onStdout: consume, ...(follow ? {} : { timeoutMs: seconds * 1000 }) });
    } finally {
      process.off("SIGINT", ignoreInterrupt);
    }

    const interrupted = result.timedOut || (follow && (result.exitCode === 130 || result.exitCode === 128));
    if (result.exitCode !== 0 && !interrupted) {
      const tail = result.stderr.trim().split("\n").slice(-5).join("\n");
      throw new CliError(`\`wrangler ${args.join(" ")}\` failed with exit code ${result.exitCode}${tail ? `:\n${tail}` : ""}`, {
        hint: "Check that you are logged in (`npx wrangler login`) and that the stage is deployed (`tgk deploy`).",
      });
    }
    if (printed === 0) out.note("no matching log lines");
    return EXIT_OK;
  },
};
