// Every tgk command, in the order `tgk --help` lists them.
import type { Command } from "../lib/command.ts";
import { deploy } from "./deploy.ts";
import { doctor } from "./doctor.ts";
import { hookReplay, hookSimulate } from "./hook.ts";
import { logs } from "./logs.ts";
import { rollback } from "./rollback.ts";
import { setupGithub, setupTelegram } from "./setup.ts";
import { stageCreate, stagePromote } from "./stage.ts";

export const COMMANDS: Command[] = [
  hookSimulate,
  hookReplay,
  stageCreate,
  stagePromote,
  deploy,
  rollback,
  logs,
  setupTelegram,
  setupGithub,
  doctor,
];
