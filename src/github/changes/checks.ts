import type { CheckChange, CheckState } from "../../agent/delivery.ts";
import { type JsonObject, object, text, time } from "./fields.ts";

/** Maps a check conclusion or commit status state to the card's roll-up. */
export function checkState(status: string, conclusion: string): CheckState {
  if (status !== "" && status !== "completed") return "pending";
  switch (conclusion) {
    case "success":
      return "success";
    case "neutral":
    case "skipped":
      return "neutral";
    case "":
      return "pending";
    default:
      // failure, cancelled, timed_out, action_required, stale, startup_failure
      return "failure";
  }
}

/** Reads check_suite, check_run and workflow_run deliveries. */
export function readCheck(event: string, payload: JsonObject, repository: string, receivedAt: number): CheckChange | undefined {
  const subject = object(payload[event]);
  if (subject === undefined) return undefined;

  const source = event as CheckChange["source"];
  let name = text(subject.name);
  if (event === "check_suite") name = text(object(subject.app)?.name) || "checks";
  if (event === "workflow_run") name = text(subject.name) || text(object(payload.workflow)?.name) || "workflow";

  return {
    kind: "check",
    repository,
    source,
    name: name || event,
    head_sha: text(subject.head_sha),
    state: checkState(text(subject.status), text(subject.conclusion)),
    html_url: text(subject.html_url) || text(subject.details_url),
    updated_at: time(subject.updated_at ?? subject.completed_at ?? subject.started_at, receivedAt),
  };
}

/** Commit status states; "error" and "failure" both count as failure. */
const STATUS_STATES: Record<string, CheckState> = { pending: "pending", success: "success" };

/** Reads a status delivery (commit statuses from external CI). */
export function readStatus(payload: JsonObject, repository: string, receivedAt: number): CheckChange | undefined {
  const sha = text(payload.sha);
  if (sha === "") return undefined;

  const state = text(payload.state);
  return {
    kind: "check",
    repository,
    source: "status",
    name: text(payload.context) || "status",
    head_sha: sha,
    state: STATUS_STATES[state] ?? "failure",
    html_url: text(payload.target_url),
    updated_at: time(payload.updated_at, receivedAt),
  };
}
