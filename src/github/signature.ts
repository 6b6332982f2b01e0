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

  // @octokit/webhooks throws on an empty payload, and no GitHub delivery has one.
  if (rawText === "") return "X-Hub-Signature-256 cannot match an empty body";

  if (cached?.secret !== secret) cached = { secret, webhooks: new Webhooks({ secret }) };
  // crypto.subtle.verify compares the HMAC in constant time.
  const valid = await cached.webhooks.verify(rawText, header);
  return valid ? undefined : "X-Hub-Signature-256 does not match the body; check the webhook secret";
}
