/** Checks `X-Hub-Signature-256`, the HMAC-SHA256 of the raw body under the webhook secret. */
import { Webhooks } from "@octokit/webhooks";

const SIGNATURE = /^sha256=[0-9a-f]{64}$/;

let cached: { secret: string; webhooks: Webhooks } | undefined;

/**
 * Returns the reason the signature is rejected, or undefined when it is valid.
 * GitHub sends lower-case hex, so other forms (upper case, `sha1=`) are rejected before hashing.
 */
export async function checkSignature(secret: string, rawText: string, header: string | null): Promise<string | undefined> {
  if (header === null || header === "") return "missing X-Hub-Signature-256 header";
  if (!SIGNATURE.test(header)) return "X-Hub-Signature-256 must be sha256= followed by 64 lower-case hex digits";

  if (cached?.secret !== secret) cached = { secret, webhooks: new Webhooks({ secret }) };
  // crypto.subtle.verify compares the HMAC in constant time. @octokit/webhooks throws on an empty
  // payload, so that one case is verified here directly.
  const valid = rawText === "" ? await verifyEmptyBody(secret, header) : await cached.webhooks.verify(rawText, header);
  return valid ? undefined : "X-Hub-Signature-256 does not match the body; check the webhook secret";
}

async function verifyEmptyBody(secret: string, header: string): Promise<boolean> {
  const key = await crypto.subtle.importKey("raw", new TextEncoder().encode(secret), { name: "HMAC", hash: "SHA-256" }, false, ["verify"]);
  const hex = header.slice("sha256=".length);
  const mac = new Uint8Array(hex.match(/../g)!.map((pair) => parseInt(pair, 16)));
  return crypto.subtle.verify("HMAC", key, mac, new Uint8Array());
}
