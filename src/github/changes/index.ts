/** Turns a verified GitHub delivery into the Change its stream's agent stores. */
import type { Change } from "../../agent/delivery.ts";
import { readDeploymentStatus, readIssue, readRelease } from "./activity.ts";
import { readCheck, readStatus } from "./checks.ts";
import { type JsonObject, firstLine, integer, login, object, repositoryName, text } from "./fields.ts";
import { readPullRequest, readReview } from "./pull-request.ts";
import { readPush } from "./push.ts";

/** Event types the card shows. Others get 202 and a log line. */
export const HANDLED_EVENTS: ReadonlySet<string> = new Set([
  "pull_request",
  "pull_request_review",
  "push",
  "check_suite",
  "check_run",
  "workflow_run",
  "status",
  "release",
  "deployment_status",
  "issues",
]);

/** Reads the Change of a handled event; undefined when the payload lacks what the card needs. */
export function readChange(event: string, payload: JsonObject, receivedAt: number): Change | undefined {
  const repository = repositoryName(payload);
  switch (event) {
    case "pull_request":
      return readPullRequest(payload, repository, receivedAt);
    case "pull_request_review":
      return readReview(payload, repository, receivedAt);
    case "push":
      return readPush(payload, repository, receivedAt);
    case "check_suite":
    case "check_run":
    case "workflow_run":
      return readCheck(event, payload, repository, receivedAt);
    case "status":
      return readStatus(payload, repository, receivedAt);
    case "release":
      return readRelease(payload, repository, receivedAt);
    case "deployment_status":
      return readDeploymentStatus(payload, repository, receivedAt);
    case "issues":
      return readIssue(payload, repository, receivedAt);
    default:
      return undefined;
  }
}

/** Summarizes the delivery in one plain-text line, for the card footer and /status. */
export function summarize(event: string, payload: JsonObject): string {
  const action = text(payload.action);
  const sender = login(payload.sender);
  const by = sender !== "" ? ` by ${sender}` : "";
  const pull = object(payload.pull_request);
  const issue = object(payload.issue);
  const number = integer(pull?.number) ?? integer(issue?.number) ?? integer(payload.number);

  if (event === "push") {
    const ref = text(payload.ref).replace(/^refs\/heads\//, "");
    return `push to ${ref || "a ref"}${by}`;
  }
  if (event === "release") return `release ${text(object(payload.release)?.tag_name)} ${action}${by}`.replace(/\s+/g, " ");
  if (event === "status") return `status ${text(payload.context)} ${text(payload.state)}`.trim();
  if (event === "deployment_status") {
    const status = object(payload.deployment_status);
    return `deployment to ${text(status?.environment, "an environment")} ${text(status?.state)}`.trim();
  }

  const subject = number !== undefined ? ` #${number}` : "";
  const label = event.replace(/_/g, " ");
  const title = firstLine(text(pull?.title) || text(issue?.title));
  return `${label}${subject}${action !== "" ? ` ${action}` : ""}${by}${title !== "" ? `: ${title}` : ""}`;
}
