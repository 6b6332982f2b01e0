/** Small helpers shared by the tests, the load test and the benchmarks that run the hub locally. */
import { createHmac } from "node:crypto";
import { createServer } from "node:net";

/** Returns a TCP port on 127.0.0.1 that was free a moment ago. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === "string") throw new Error("could not find a free port on 127.0.0.1");
  return address.port;
}

/** Returns the X-Hub-Signature-256 value GitHub sends: HMAC-SHA256 of the raw body, in hex. */
export function signBody(body: string, secret: string): string {
  return `sha256=${createHmac("sha256", secret).update(body).digest("hex")}`;
}
