/** JSON responses shared by both webhooks. Every error body states what is wrong. */

export function json(status: number, body: Record<string, unknown>, headers?: Record<string, string>): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { "content-type": "application/json; charset=utf-8", ...headers },
  });
}

export function errorResponse(status: number, error: string, headers?: Record<string, string>): Response {
  return json(status, { ok: false, error }, headers);
}

/** Compares two strings in time that depends only on their lengths, for secrets from headers. */
export async function secretsEqual(received: string, expected: string): Promise<boolean> {
  const encoder = new TextEncoder();
  const [a, b] = await Promise.all([
    crypto.subtle.digest("SHA-256", encoder.encode(received)),
    crypto.subtle.digest("SHA-256", encoder.encode(expected)),
  ]);
  // Digests have equal length, so timingSafeEqual never throws and leaks no length.
  return crypto.subtle.timingSafeEqual(a, b) && expected.length > 0;
}
