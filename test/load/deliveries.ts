/** Signed pull_request deliveries for the load test, built on GitHub's own "opened" example. */
import { randomUUID } from "node:crypto";
import examples from "@octokit/webhooks-examples/api.github.com/index.json" with { type: "json" };

type Payload = Record<string, any>;

/** Pull requests per stream; deliveries cycle through them, so each card lists this many. */
export const PULL_REQUESTS_PER_STREAM = 5;

const opened = examples.find((entry) => entry.name === "pull_request")?.examples.find((payload) => (payload as Payload).action === "opened");
if (opened === undefined) throw new Error("@octokit/webhooks-examples has no pull_request opened example");
const OPENED_JSON = JSON.stringify(opened);

export interface PlannedDelivery {
  stream: string;
  deliveryId: string;
  title: string;
  number: number;
  /** Epoch ms written to pull_request.updated_at; it grows with every delivery of the run. */
  updatedAt: number;
}

/** Plans `total` deliveries round-robin over `streams`, each with its own id, title and later updated_at. */
export function planDeliveries(streams: readonly string[], total: number, startedAt: number): PlannedDelivery[] {
  const actions = ["opened", "edited", "synchronize", "ready_for_review"];
  return Array.from({ length: total }, (_, index) => {
    const stream = streams[index % streams.length]!;
    const round = Math.floor(index / streams.length);
    const number = (round % PULL_REQUESTS_PER_STREAM) + 1;
    return {
      stream,
      deliveryId: randomUUID(),
      title: `Load ${stream} round ${round}: ${actions[round % actions.length]} & <tuned> 🚀`,
      number,
      updatedAt: startedAt + index,
    };
  });
}

/** Builds the JSON body of one planned delivery. */
export function deliveryBody(planned: PlannedDelivery): string {
  const payload = JSON.parse(OPENED_JSON) as Payload;
  payload.number = planned.number;
  Object.assign(payload.pull_request, {
    number: planned.number,
    title: planned.title,
    updated_at: new Date(planned.updatedAt).toISOString(),
    html_url: `https://github.com/${payload.repository.full_name}/pull/${planned.number}`,
  });
  payload.pull_request.head.ref = `load-${planned.number}`;
  payload.pull_request.head.sha = planned.deliveryId.replace(/-/g, "").padEnd(40, "0").slice(0, 40);
  return JSON.stringify(payload);
}

export { signBody } from "../../scripts/loopback.ts";
