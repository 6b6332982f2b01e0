import type { PullRequestChange, ReviewChange, ReviewState } from "../../agent/delivery.ts";
import { type JsonObject, flag, integer, login, object, text, time } from "./fields.ts";

/** Reads the `pull_request` object that pull_request and pull_request_review deliveries carry. */
export function readPullRequest(payload: JsonObject, repository: string, receivedAt: number): PullRequestChange | undefined {
  const pull = object(payload.pull_request);
  const number = integer(pull?.number) ?? integer(payload.number);
  if (pull === undefined || number === undefined) return undefined;

  const head = object(pull.head);
  const merged = flag(pull.merged) || (text(pull.merged_at) !== "" && pull.merged_at !== null);
  const state = merged ? "merged" : text(pull.state) === "closed" ? "closed" : "open";
  const reviewers = Array.isArray(pull.requested_reviewers) ? pull.requested_reviewers : [];
  const mergedBy = login(pull.merged_by);

  return {
    kind: "pull_request",
    repository,
    number,
    title: text(pull.title, `#${number}`),
    html_url: text(pull.html_url),
    author: login(pull.user),
    draft: flag(pull.draft),
    state,
    head_sha: text(head?.sha),
    head_ref: text(head?.ref),
    requested_reviewers: reviewers.map(login).filter((name) => name !== ""),
    ...(mergedBy !== "" ? { merged_by: mergedBy } : {}),
    updated_at: time(pull.updated_at, receivedAt),
  };
}

const REVIEW_STATES: Record<string, ReviewState> = {
  approved: "approved",
  changes_requested: "changes_requested",
  commented: "commented",
  dismissed: "dismissed",
};

/** Reads a pull_request_review delivery; a dismissal counts as the reviewer's new state. */
export function readReview(payload: JsonObject, repository: string, receivedAt: number): ReviewChange | undefined {
  const review = object(payload.review);
  const pullRequest = readPullRequest(payload, repository, receivedAt);
  if (review === undefined || pullRequest === undefined) return undefined;

  const action = text(payload.action);
  const state = action === "dismissed" ? "dismissed" : REVIEW_STATES[text(review.state).toLowerCase()] ?? "commented";
  return {
    kind: "review",
    repository,
    number: pullRequest.number,
    reviewer: login(review.user),
    state,
    submitted_at: time(review.submitted_at, receivedAt),
    pull_request: pullRequest,
  };
}
