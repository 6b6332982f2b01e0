// Every tgk command, in the order `tgk --help` lists them.
import type { Command } from "../lib/command.ts";
import { hookReplay, hookSimulate } from "./hook.ts";

export const COMMANDS: Command[] = [hookSimulate, hookReplay];
