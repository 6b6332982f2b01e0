#!/usr/bin/env node
// tgk: the maintainer CLI. It wraps wrangler and the Bot API so maintainers do not call them by hand.
import { EXIT_OK, EXIT_USAGE, runCommand, type Command } from "./lib/command.ts";
import { COMMANDS } from "./commands/index.ts";

function renderOverview(commands: Command[]): string {
  const width = Math.max(...commands.map((command) => command.path.length));
  return [
    "Usage: tgk <command> [options]",
    "",
    "Maintainer CLI for the tgk hub: simulate GitHub deliveries, manage stages, deploy, promote,",
    "roll back, read logs and set up Telegram and GitHub.",
    "",
    "Commands:",
    ...commands.map((command) => `  ${command.path.padEnd(width)}  ${command.summary}`),
    "",
    "Every command takes --help and --json. Exit status: 0 on success, 1 when the operation failed,",
    "2 when the command line is invalid.",
    "",
  ].join("\n");
}

/** Finds the command whose path matches the longest prefix of argv. */
function findCommand(argv: string[]): { command: Command; rest: string[] } | undefined {
  for (const length of [2, 1]) {
    const path = argv.slice(0, length).join(" ");
    const command = COMMANDS.find((candidate) => candidate.path === path);
    if (command) return { command, rest: argv.slice(length) };
  }
  return undefined;
}

export async function main(argv: string[]): Promise<number> {
  const first = argv[0];
  if (first === undefined || first === "--help" || first === "-h" || first === "help") {
    process.stdout.write(renderOverview(COMMANDS));
    return first === undefined ? EXIT_USAGE : EXIT_OK;
  }

  const match = findCommand(argv);
  if (match) return runCommand(match.command, match.rest, process.cwd());

  // A group name alone (`tgk hook`) or with --help lists that group's commands.
  const group = COMMANDS.filter((command) => command.path.startsWith(`${first} `));
  if (group.length > 0) {
    process.stdout.write(renderOverview(group));
    const asksHelp = argv[1] === undefined || argv[1] === "--help" || argv[1] === "-h";
    if (!asksHelp) process.stderr.write(`error: unknown command: tgk ${argv.slice(0, 2).join(" ")}\n`);
    return asksHelp ? EXIT_OK : EXIT_USAGE;
  }

  process.stderr.write(`error: unknown command: tgk ${first}\nRun \`tgk --help\` for the list of commands.\n`);
  return EXIT_USAGE;
}

process.exitCode = await main(process.argv.slice(2));
