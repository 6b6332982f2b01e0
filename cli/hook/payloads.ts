// Realistic GitHub webhook payloads for `tgk hook simulate`, built from the real deliveries shipped in
// @octokit/webhooks-examples and rewritten for one repository, pull request, branch and head SHA.
import { createHash, randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { CliError } from "../lib/command.ts";

export const SIMULATE_ACTIONS = ["opened", "review", "push", "merged", "closed", "ci-pass", "ci-fail", "release"] as const;
export type SimulateAction = (typeof SIMULATE_ACTIONS)[number];

export const REVIEW_STATES = ["approved", "changes_requested", "commented"] as const;
export type ReviewState = (typeof REVIEW_STATES)[number];

export interface SimulateTarget {
  /** "owner/name" */
  repository: string;
  pullNumber: number;
  branch: string;
  /** Head SHA before the simulated event; push moves the head to a new SHA. */
  headSha: string;
  reviewState: ReviewState;
  /** Tag name for release events. */
  tag: string;
}

export interface SimulatedEvent {
  /** X-GitHub-Event header value. */
  event: string;
  payload: Record<string, unknown>;
  /** Head SHA after the event (differs from the target's only for push). */
  headSha: string;
}

interface ExampleGroup {
  name: string;
  examples: Array<Record<string, unknown>>;
}

/** The templates' repository; every string containing it is rewritten to the simulated repository. */
const TEMPLATE_REPOSITORY = "Codertocat/Hello-World";

let exampleGroups: ExampleGroup[] | undefined;

function loadExamples(): ExampleGroup[] {
  if (exampleGroups) return exampleGroups;
  const require = createRequire(import.meta.url);
  const file = require.resolve("@octokit/webhooks-examples/api.github.com/index.json");
  exampleGroups = JSON.parse(readFileSync(file, "utf8")) as ExampleGroup[];
  return exampleGroups;
}

/** Returns a deep copy of the first example of `event` that matches `accept`. */
function template(event: string, accept: (example: Record<string, unknown>) => boolean): Record<string, unknown> {
  const group = loadExamples().find((candidate) => candidate.name === event);
  const example = group?.examples.find(accept);
  if (!example) {
    throw new CliError(`no ${event} example found in @octokit/webhooks-examples`, {
      hint: "Run `npm install` so the examples package matches package-lock.json.",
    });
  }
  return structuredClone(example);
}

/** Derives the head SHA a simulated PR starts with, stable per repository and PR so separate runs agree. */
export function defaultHeadSha(repository: string, pullNumber: number): string {
  return createHash("sha1").update(`${repository}#${pullNumber}`).digest("hex");
}

export function randomSha(): string {
  return randomBytes(20).toString("hex");
}

/** GitHub's timestamp form: ISO 8601 in UTC without milliseconds. */
export function githubTimestamp(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, "Z");
}

function record(value: unknown): Record<string, unknown> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new CliError("an @octokit/webhooks-examples payload lacks an expected object field");
  }
  return value as Record<string, unknown>;
}

/** Rewrites every string that mentions the template repository, at any depth. */
function renameRepository(value: unknown, repository: string): unknown {
  if (typeof value === "string") return value.split(TEMPLATE_REPOSITORY).join(repository);
  if (Array.isArray(value)) return value.map((item) => renameRepository(item, repository));
  if (typeof value === "object" && value !== null) {
    const renamed: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) renamed[key] = renameRepository(item, repository);
    return renamed;
  }
  return value;
}

function setRepository(payload: Record<string, unknown>, repository: string): Record<string, unknown> {
  const renamed = record(renameRepository(payload, repository));
  const [owner = "", name = ""] = repository.split("/");
  const repo = record(renamed.repository);
  repo.name = name;
  repo.full_name = repository;
  record(repo.owner).login = owner;
  return renamed;
}

/** Points a pull_request object at the simulated PR number, branch, head SHA and time. */
function setPullRequest(pullRequest: Record<string, unknown>, target: SimulateTarget, now: string): void {
  const base = `https://github.com/${target.repository}`;
  const api = `https://api.github.com/repos/${target.repository}`;
  pullRequest.number = target.pullNumber;
  pullRequest.html_url = `${base}/pull/${target.pullNumber}`;
  pullRequest.url = `${api}/pulls/${target.pullNumber}`;
  pullRequest.issue_url = `${api}/issues/${target.pullNumber}`;
  pullRequest.diff_url = `${base}/pull/${target.pullNumber}.diff`;
  pullRequest.patch_url = `${base}/pull/${target.pullNumber}.patch`;
  pullRequest.title = `Simulated change #${target.pullNumber}`;
  pullRequest.updated_at = now;

  const head = record(pullRequest.head);
  head.ref = target.branch;
  head.sha = target.headSha;
  head.label = `${target.repository.split("/")[0]}:${target.branch}`;
}

/** Builds the GitHub event and payload for one simulated action. */
export function buildEvent(action: SimulateAction, target: SimulateTarget, date: Date = new Date()): SimulatedEvent {
  const now = githubTimestamp(date);

  switch (action) {
    case "opened": {
      const payload = setRepository(template("pull_request", (e) => e.action === "opened"), target.repository);
      payload.number = target.pullNumber;
      const pullRequest = record(payload.pull_request);
      setPullRequest(pullRequest, target, now);
      pullRequest.created_at = now;
      return { event: "pull_request", payload, headSha: target.headSha };
    }

    case "merged":
    case "closed": {
      const payload = setRepository(template("pull_request", (e) => e.action === "closed"), target.repository);
      payload.number = target.pullNumber;
      const pullRequest = record(payload.pull_request);
      setPullRequest(pullRequest, target, now);
      pullRequest.state = "closed";
      pullRequest.closed_at = now;
      const merged = action === "merged";
      pullRequest.merged = merged;
      pullRequest.merged_at = merged ? now : null;
      pullRequest.merge_commit_sha = merged ? randomSha() : null;
      pullRequest.merged_by = merged ? structuredClone(payload.sender) : null;
      return { event: "pull_request", payload, headSha: target.headSha };
    }

    case "review": {
      const payload = setRepository(template("pull_request_review", (e) => e.action === "submitted"), target.repository);
      const pullRequest = record(payload.pull_request);
      setPullRequest(pullRequest, target, now);
      const review = record(payload.review);
      review.state = target.reviewState;
      review.commit_id = target.headSha;
      review.submitted_at = now;
      review.body = target.reviewState === "approved" ? "Looks good." : "Please take another look.";
      review.html_url = `https://github.com/${target.repository}/pull/${target.pullNumber}#pullrequestreview-${String(review.id)}`;
      review.pull_request_url = `https://api.github.com/repos/${target.repository}/pulls/${target.pullNumber}`;
      return { event: "pull_request_review", payload, headSha: target.headSha };
    }

    case "push": {
      const payload = setRepository(
        template("push", (e) => typeof e.ref === "string" && e.ref.startsWith("refs/heads/") && e.head_commit !== null),
        target.repository,
      );
      const after = randomSha();
      payload.ref = `refs/heads/${target.branch}`;
      payload.before = target.headSha;
      payload.after = after;
      payload.compare = `https://github.com/${target.repository}/compare/${target.headSha.slice(0, 12)}...${after.slice(0, 12)}`;
      const headCommit = record(payload.head_commit);
      headCommit.id = after;
      headCommit.tree_id = randomSha();
      headCommit.timestamp = now;
      headCommit.message = `Update ${target.branch}`;
      headCommit.url = `https://github.com/${target.repository}/commit/${after}`;
      payload.commits = [structuredClone(headCommit)];
      // A push to an existing branch, received now: GitHub puts the receive time in
      // repository.pushed_at (epoch seconds), and the hub orders pushes by it.
      payload.created = false;
      payload.deleted = false;
      payload.forced = false;
      record(payload.repository).pushed_at = Math.floor(Date.now() / 1000);
      return { event: "push", payload, headSha: after };
    }

    case "ci-pass":
    case "ci-fail": {
      const payload = setRepository(template("check_suite", (e) => e.action === "completed"), target.repository);
      const suite = record(payload.check_suite);
      suite.status = "completed";
      suite.conclusion = action === "ci-pass" ? "success" : "failure";
      suite.head_branch = target.branch;
      suite.head_sha = target.headSha;
      suite.after = target.headSha;
      suite.created_at = now;
      suite.updated_at = now;
      const pullRequests = Array.isArray(suite.pull_requests) ? suite.pull_requests : [];
      for (const item of pullRequests) {
        const pr = record(item);
        pr.number = target.pullNumber;
        pr.url = `https://api.github.com/repos/${target.repository}/pulls/${target.pullNumber}`;
        record(pr.head).ref = target.branch;
        record(pr.head).sha = target.headSha;
      }
      if (suite.head_commit) record(suite.head_commit).id = target.headSha;
      return { event: "check_suite", payload, headSha: target.headSha };
    }

    case "release": {
      const payload = setRepository(template("release", (e) => e.action === "published"), target.repository);
      const release = record(payload.release);
      release.tag_name = target.tag;
      release.name = target.tag;
      release.target_commitish = target.branch;
      release.created_at = now;
      release.published_at = now;
      release.html_url = `https://github.com/${target.repository}/releases/tag/${target.tag}`;
      return { event: "release", payload, headSha: target.headSha };
    }
  }
}
