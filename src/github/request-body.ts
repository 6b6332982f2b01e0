/** Reading and decoding a GitHub webhook body within GitHub's own size limit. */
import type { JsonObject } from "./changes/fields.ts";

/** GitHub does not deliver payloads over 25 MB, so anything larger is not GitHub. */
export const MAX_BODY_BYTES = 25 * 1024 * 1024;

export class BodyError extends Error {
  override name = "BodyError";
  readonly status: 400 | 413 | 415;

  constructor(status: 400 | 413 | 415, message: string) {
    super(message);
    this.status = status;
  }
}

/** Reads the raw body, stopping as soon as it passes `maxBytes`. */
export async function readBody(request: Request, maxBytes = MAX_BODY_BYTES): Promise<Uint8Array> {
  const declared = Number(request.headers.get("content-length") ?? "");
  if (Number.isFinite(declared) && declared > maxBytes) {
    throw new BodyError(413, `body of ${declared} bytes is over the ${maxBytes}-byte limit`);
  }
  if (request.body === null) return new Uint8Array();

  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = request.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel();
      throw new BodyError(413, `body is over the ${maxBytes}-byte limit`);
    }
    chunks.push(value);
  }

  const body = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    body.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return body;
}

/**
 * Parses the payload JSON from a body GitHub sent as `application/json` or as
 * `application/x-www-form-urlencoded` with the JSON in the `payload` field.
 */
export function parsePayload(contentType: string, rawText: string): JsonObject {
  const mediaType = contentType.split(";")[0]?.trim().toLowerCase() ?? "";
  let jsonText: string;
  if (mediaType === "application/json" || mediaType === "") {
    jsonText = rawText;
  } else if (mediaType === "application/x-www-form-urlencoded") {
    const field = new URLSearchParams(rawText).get("payload");
    if (field === null) throw new BodyError(400, "form body has no payload field");
    jsonText = field;
  } else {
    throw new BodyError(415, `content type ${mediaType} is not supported; use application/json or application/x-www-form-urlencoded`);
  }

  let payload: unknown;
  try {
    payload = JSON.parse(jsonText);
  } catch (error) {
    throw new BodyError(400, `payload is not valid JSON: ${(error as Error).message}`);
  }
  if (typeof payload !== "object" || payload === null || Array.isArray(payload)) {
    const kind = payload === null ? "null" : Array.isArray(payload) ? "an array" : typeof payload;
    throw new BodyError(400, `payload must be a JSON object, got ${kind}`);
  }
  return payload as JsonObject;
}
