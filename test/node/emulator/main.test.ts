import { spawn } from "node:child_process";
import { once } from "node:events";
import { expect, test } from "vitest";
import { SANDBOX_BOT } from "../../../emulator/sandbox.ts";

const ROOT = new URL("../../../", import.meta.url).pathname;

test("main starts and stops on SIGTERM", async () => {
  const child = spawn(process.execPath, ["emulator/main.ts", "--port", "0", "--seed", "empty"], { cwd: ROOT });
  let output = "";
  child.stdout.setEncoding("utf8");
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout.on("data", (chunk: string) => {
      output += chunk;
      const match = output.match(/listening on (http:\/\/127\.0\.0\.1:\d+)/);
      if (match?.[1] !== undefined && output.includes("Bot token:")) resolve(match[1]);
    });
    child.once("exit", (code) => reject(new Error(`emulator exited early with ${code}: ${output}`)));
  });

  expect(output).toContain(`Bot token: ${SANDBOX_BOT.token}`);
  const answer = await (await fetch(`${url}/bot${SANDBOX_BOT.token}/getMe`)).json();
  expect(answer.result.username).toBe(SANDBOX_BOT.username);

  child.kill("SIGTERM");
  const [code] = await once(child, "exit");
  expect(code).toBe(0);
});

test("main rejects bad seed", async () => {
  const child = spawn(process.execPath, ["emulator/main.ts", "--seed", "lots"], { cwd: ROOT });
  let errors = "";
  child.stderr.setEncoding("utf8");
  child.stderr.on("data", (chunk: string) => { errors += chunk; });
  const [code] = await once(child, "exit");
  expect(code).toBe(2);
  expect(errors).toContain("Invalid --seed lots");
});
