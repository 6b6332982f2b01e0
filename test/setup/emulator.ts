import { createServer } from "node:http";
import type { TestProject } from "vitest/node";
export default async function setup(project: TestProject) {
  const server = createServer((req, res) => { res.setHeader("content-type","application/json"); res.end(JSON.stringify({ok:true,result:{path:req.url}})); });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const address = server.address();
  if (address === null || typeof address === "string") throw new Error("no port");
  project.provide("emulatorUrl", `http://127.0.0.1:${address.port}`);
  return async () => { server.close(); };
}
declare module "vitest" { export interface ProvidedContext { emulatorUrl: string } }
