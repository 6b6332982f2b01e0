import type { DeploymentChange, IssueChange, ReleaseChange } from "../../agent/delivery.ts";
import { type JsonObject, flag, integer, login, object, text, time } from "./fields.ts";

/** Reads a release delivery. */
export function readRelease(payload: JsonObject, repository: string, receivedAt: number): ReleaseChange | undefined {
  const release = object(payload.release);
  if (release === undefined) return undefined;

  const tagName = text(release.tag_name);
  return {
    kind: "release",
    repository,
    tag_name: tagName,
    name: text(release.name) || tagName,
    html_url: text(release.html_url),
    action: text(payload.action),
    prerelease: flag(release.prerelease),
    draft: flag(release.draft),
    author: login(release.author),
    updated_at: time(release.published_at ?? release.created_at, receivedAt),
  };
}

/** Reads a deployment_status delivery. */
export function readDeploymentStatus(payload: JsonObject, repository: string, receivedAt: number): DeploymentChange | undefined {
  const status = object(payload.deployment_status);
  const deployment = object(payload.deployment);
  if (status === undefined) return undefined;

  return {
    kind: "deployment",
    repository,
    environment: text(status.environment) || text(deployment?.environment) || "default",
    state: text(status.state),
    sha: text(deployment?.sha),
    target_url: text(status.environment_url) || text(status.target_url) || text(status.log_url),
    creator: login(status.creator),
    updated_at: time(status.updated_at ?? status.created_at, receivedAt),
  };
}

/** Reads an issues delivery. */
export function readIssue(payload: JsonObject, repository: string, receivedAt: number): IssueChange | undefined {
  const issue = object(payload.issue);
  const number = integer(issue?.number);
  if (issue === undefined || number === undefined) return undefined;

  return {
    kind: "issue",
    repository,
    number,
    title: text(issue.title, `#${number}`),
    html_url: text(issue.html_url),
    author: login(issue.user),
    state: text(issue.state) === "closed" ? "closed" : "open",
    updated_at: time(issue.updated_at, receivedAt),
  };
}
