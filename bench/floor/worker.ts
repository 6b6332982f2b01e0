/**
 * The floor Worker for `npm run bench`.
 *
 * - `GET /health` and `POST /` read the request body and return 200: the least a webhook receiver does.
 * - `POST /do/<name>` writes one row (delivery id, body size, time) to the SQLite-backed Durable
 *   Object named `<name>` and returns 200: the least a receiver that stores each delivery does.
 *
 * It declares the few runtime types it uses itself, so bench/ type-checks with Node's types only.
 */

interface SqlCursor {
  toArray(): unknown[];
}

interface FloorState {
  storage: { sql: { exec(query: string, ...bindings: unknown[]): SqlCursor } };
}

interface DurableObjectStub {
  fetch(request: Request): Promise<Response>;
}

interface FloorEnv {
  FLOOR_STORE: {
    idFromName(name: string): unknown;
    get(id: unknown): DurableObjectStub;
  };
}

export class FloorStore {
  readonly #state: FloorState;

  constructor(state: FloorState) {
    this.#state = state;
    state.storage.sql.exec(
      "CREATE TABLE IF NOT EXISTS deliveries (id TEXT PRIMARY KEY, body_bytes INTEGER NOT NULL, received_at INTEGER NOT NULL)",
    );
  }

  async fetch(request: Request): Promise<Response> {
    const body = await request.arrayBuffer();
    const id = request.headers.get("x-github-delivery") ?? crypto.randomUUID();
    this.#state.storage.sql.exec(
      "INSERT OR IGNORE INTO deliveries (id, body_bytes, received_at) VALUES (?, ?, ?)",
      id,
      body.byteLength,
      Date.now(),
    );
    return new Response('{"ok":true}', { headers: { "content-type": "application/json" } });
  }
}

export default {
  async fetch(request: Request, env: FloorEnv): Promise<Response> {
    const path = new URL(request.url).pathname;
    const store = /^\/do\/([a-z0-9-]{1,64})$/.exec(path)?.[1];
    if (store !== undefined && request.method === "POST") {
      const stub = env.FLOOR_STORE.get(env.FLOOR_STORE.idFromName(store));
      return stub.fetch(request);
    }

    await request.arrayBuffer();
    return new Response('{"ok":true}', { headers: { "content-type": "application/json" } });
  },
};
