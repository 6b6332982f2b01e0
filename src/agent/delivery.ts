/**
 * What the topic agent accepts: one GitHub delivery reduced to the facts the card shows.
 *
 * The Worker builds these from the raw payload (src/github/changes/), so the agent stores a few
 * hundred bytes per delivery instead of payloads of up to 25 MB. Times are epoch milliseconds.
 */

export type ReviewState = "approved" | "changes_requested" | "commented" | "dismissed";

/** Roll-up of one check, workflow or commit status: pending until it completes. */
export type CheckState = "pending" | "success" | "failure" | "neutral";

export interface PullRequestChange {
  kind: "pull_request";
  repository: string;
  number: number;
  title: string;
  html_url: string;
  author: string;
  draft: boolean;
  state: "open" | "closed" | "merged";
  head_sha: string;
  head_ref: string;
  requested_reviewers: string[];
  merged_by?: string;
  /** `pull_request.updated_at`: orders deliveries for the same pull request. */
  updated_at: number;
}

export interface ReviewChange {
  kind: "review";
  repository: string;
  number: number;
  reviewer: string;
  state: ReviewState;
  submitted_at: number;
  /** The pull request as the review delivery describes it. */
  pull_request?: PullRequestChange;
}

export interface PushChange {
  kind: "push";
  repository: string;
  branch: string;
  after: string;
  commit_count: number;
  head_message: string;
  head_url: string;
  compare_url: string;
  pusher: string;
  forced: boolean;
  created: boolean;
  deleted: boolean;
  pushed_at: number;
}

export interface CheckChange {
  kind: "check";
  repository: string;
  source: "check_suite" | "check_run" | "workflow_run" | "status";
  /** Name of the check, workflow or status context; one entry per name and commit. */
  name: string;
  head_sha: string;
  state: CheckState;
  html_url: string;
  updated_at: number;
}

export interface ReleaseChange {
  kind: "release";
  repository: string;
  tag_name: string;
  name: string;
  html_url: string;
  action: string;
  prerelease: boolean;
  draft: boolean;
  author: string;
  updated_at: number;
}

export interface DeploymentChange {
  kind: "deployment";
  repository: string;
  environment: string;
  state: string;
  sha: string;
  target_url: string;
  creator: string;
  updated_at: number;
}

export interface IssueChange {
  kind: "issue";
  repository: string;
  number: number;
  title: string;
  html_url: string;
  author: string;
  state: "open" | "closed";
  updated_at: number;
}

export type Change =
  | PullRequestChange
  | ReviewChange
  | PushChange
  | CheckChange
  | ReleaseChange
  | DeploymentChange
  | IssueChange;

/** One accepted GitHub delivery, as sent from the Worker to the stream's agent. */
export interface Delivery {
  /** `X-GitHub-Delivery`; redeliveries reuse it, so it deduplicates. */
  id: string;
  /** `X-GitHub-Event`. */
  event: string;
  action?: string;
  repository?: string;
  sender?: string;
  /** One line for the card's "last event" footer, plain text. */
  summary: string;
  received_at: number;
  change?: Change;
}

/** Result of storing one delivery in the agent. */
export interface IngestResult {
  duplicate: boolean;
  /** When the alarm will publish the card, epoch milliseconds. */
  publish_at: number | null;
}
