/**
 * The state of one stream: what its card shows, rebuilt from deliveries in any order.
 *
 * Every entity keeps the payload timestamp it was last updated from, and an older delivery never
 * overwrites a newer one, because GitHub does not guarantee the order of arrival. Lists are pruned
 * to what the card can show, so storage stays bounded however many deliveries arrive.
 */
import type {
  Change,
  CheckChange,
  CheckState,
  Delivery,
  DeploymentChange,
  IssueChange,
  PullRequestChange,
  PushChange,
  ReleaseChange,
  ReviewChange,
  ReviewState,
} from "./delivery.ts";

export interface Review {
  state: ReviewState;
  submitted_at: number;
}

export interface PullRequest extends Omit<PullRequestChange, "kind"> {
  reviews: Record<string, Review>;
  /** When head_sha was last set, by a pull_request delivery or a push to head_ref. */
  head_at: number;
}

export type Push = Omit<PushChange, "kind">;
export type Check = Omit<CheckChange, "kind" | "repository" | "head_sha">;
export type Release = Omit<ReleaseChange, "kind">;
export type Deployment = Omit<DeploymentChange, "kind">;
export type Issue = Omit<IssueChange, "kind">;

export interface LastEvent {
  delivery_id: string;
  event: string;
  action?: string;
  summary: string;
  received_at: number;
}

export interface StreamState {
  pull_requests: PullRequest[];
  pushes: Push[];
  /** Checks and statuses per commit SHA, one entry per source and name. */
  checks: Record<string, Check[]>;
  release?: Release;
  deployments: Deployment[];
  issues: Issue[];
  last_event?: LastEvent;
}

/** Limits that keep a stream's stored state bounded; each is more than the card shows. */
export const MAX_OPEN_PULL_REQUESTS = 100;
export const MAX_CLOSED_PULL_REQUESTS = 5;
export const MAX_PUSHES = 10;
export const MAX_DEPLOYMENTS = 6;
export const MAX_ISSUES = 10;
export const MAX_UNREFERENCED_CHECKED_COMMITS = 20;

export function emptyState(): StreamState {
  return { pull_requests: [], pushes: [], checks: {}, deployments: [], issues: [] };
}

/** Applies one delivery to the state in place, then prunes it. */
export function applyDelivery(state: StreamState, delivery: Delivery): void {
  if (state.last_event === undefined || delivery.received_at >= state.last_event.received_at) {
    state.last_event = {
      delivery_id: delivery.id,
      event: delivery.event,
      ...(delivery.action !== undefined ? { action: delivery.action } : {}),
      summary: delivery.summary,
      received_at: delivery.received_at,
    };
  }
  if (delivery.change !== undefined) applyChange(state, delivery.change);
  prune(state);
}

function applyChange(state: StreamState, change: Change): void {
  switch (change.kind) {
    case "pull_request":
      return applyPullRequest(state, change);
    case "review":
      return applyReview(state, change);
    case "push":
      return applyPush(state, change);
    case "check":
      return applyCheck(state, change);
    case "release":
      return applyRelease(state, change);
    case "deployment":
      return applyDeployment(state, change);
    case "issue":
      return applyIssue(state, change);
  }
}

function findPullRequest(state: StreamState, repository: string, number: number): PullRequest | undefined {
  return state.pull_requests.find((pull) => pull.number === number && pull.repository === repository);
}

function applyPullRequest(state: StreamState, change: PullRequestChange): void {
  const { kind: _kind, ...fields } = change;
  const existing = findPullRequest(state, change.repository, change.number);
  if (existing === undefined) {
    state.pull_requests.push({ ...fields, reviews: {}, head_at: change.updated_at });
    return;
  }
  if (change.updated_at < existing.updated_at) return;

  const { head_sha, head_at } = existing;
  Object.assign(existing, fields);
  // A push to the head branch may have set a newer head than this delivery carries.
  if (change.updated_at < head_at) Object.assign(existing, { head_sha, head_at });
  else existing.head_at = change.updated_at;
}

function applyReview(state: StreamState, change: ReviewChange): void {
  if (change.pull_request !== undefined) applyPullRequest(state, change.pull_request);
  const pull = findPullRequest(state, change.repository, change.number);
  if (pull === undefined || change.reviewer === "") return;

  const previous = pull.reviews[change.reviewer];
  if (previous !== undefined && change.submitted_at < previous.submitted_at) return;
  // A plain comment does not replace an approval or a change request from the same reviewer.
  if (change.state === "commented" && previous !== undefined && previous.state !== "commented") return;
  pull.reviews[change.reviewer] = { state: change.state, submitted_at: change.submitted_at };
  pull.requested_reviewers = pull.requested_reviewers.filter((name) => name !== change.reviewer);
}

function applyPush(state: StreamState, change: PushChange): void {
  const { kind: _kind, ...push } = change;
  const index = state.pushes.findIndex((p) => p.branch === change.branch && p.repository === change.repository);
  const existing = state.pushes[index];
  if (existing !== undefined && change.pushed_at < existing.pushed_at) return;
  if (index === -1) state.pushes.push(push);
  else state.pushes[index] = push;

  if (change.deleted || change.after === "" || /^0+$/.test(change.after)) return;
  for (const pull of state.pull_requests) {
    if (pull.state !== "open" || pull.repository !== change.repository || pull.head_ref !== change.branch) continue;
    if (change.pushed_at >= pull.head_at) {
      pull.head_sha = change.after;
      pull.head_at = change.pushed_at;
    }
  }
}

function applyCheck(state: StreamState, change: CheckChange): void {
  if (change.head_sha === "") return;
  const checks = (state.checks[change.head_sha] ??= []);
  const entry: Check = {
    source: change.source,
    name: change.name,
    state: change.state,
    html_url: change.html_url,
    updated_at: change.updated_at,
  };
  const index = checks.findIndex((c) => c.source === change.source && c.name === change.name);
  const existing = checks[index];
  if (existing === undefined) {
    checks.push(entry);
    return;
  }
  if (change.updated_at < existing.updated_at) return;
  // Same timestamp: a finished check is not reopened by a duplicate "in progress" delivery.
  if (change.updated_at === existing.updated_at && change.state === "pending" && existing.state !== "pending") return;
  checks[index] = entry;
}

function applyRelease(state: StreamState, change: ReleaseChange): void {
  const { kind: _kind, ...release } = change;
  const current = state.release;
  if (change.action === "deleted" || change.action === "unpublished") {
    if (current?.tag_name === change.tag_name && current.repository === change.repository) delete state.release;
    return;
  }
  if (change.draft) return;
  if (current !== undefined && change.updated_at < current.updated_at) return;
  state.release = release;
}

function applyDeployment(state: StreamState, change: DeploymentChange): void {
  const { kind: _kind, ...deployment } = change;
  const index = state.deployments.findIndex(
    (d) => d.environment === change.environment && d.repository === change.repository,
  );
  const existing = state.deployments[index];
  if (existing !== undefined && change.updated_at < existing.updated_at) return;
  if (index === -1) state.deployments.push(deployment);
  else state.deployments[index] = deployment;
}

function applyIssue(state: StreamState, change: IssueChange): void {
  const { kind: _kind, ...issue } = change;
  const index = state.issues.findIndex((i) => i.number === change.number && i.repository === change.repository);
  const existing = state.issues[index];
  if (existing !== undefined && change.updated_at < existing.updated_at) return;
  if (index === -1) state.issues.push(issue);
  else state.issues[index] = issue;
}

/** Rolls the checks of one commit up into one state: any failure, else any pending, else success. */
export function rollUpChecks(checks: readonly Check[] | undefined): CheckState | undefined {
  if (checks === undefined || checks.length === 0) return undefined;
  if (checks.some((c) => c.state === "failure")) return "failure";
  if (checks.some((c) => c.state === "pending")) return "pending";
  if (checks.some((c) => c.state === "success")) return "success";
  return "neutral";
}

function newestFirst<T>(items: T[], time: (item: T) => number): T[] {
  return items.sort((a, b) => time(b) - time(a));
}

function prune(state: StreamState): void {
  const open = newestFirst(state.pull_requests.filter((p) => p.state === "open"), (p) => p.updated_at);
  const closed = newestFirst(state.pull_requests.filter((p) => p.state !== "open"), (p) => p.updated_at);
  state.pull_requests = [...open.slice(0, MAX_OPEN_PULL_REQUESTS), ...closed.slice(0, MAX_CLOSED_PULL_REQUESTS)];
  state.pushes = newestFirst(state.pushes, (p) => p.pushed_at).slice(0, MAX_PUSHES);
  state.deployments = newestFirst(state.deployments, (d) => d.updated_at).slice(0, MAX_DEPLOYMENTS);
  state.issues = newestFirst(state.issues, (i) => i.updated_at).slice(0, MAX_ISSUES);

  // Keep checks for every commit the card can show, plus the newest few others, which a push or
  // pull_request delivery that is still on its way may point at.
  const shown = new Set<string>([
    ...state.pull_requests.map((p) => p.head_sha),
    ...state.pushes.map((p) => p.after),
    ...state.deployments.map((d) => d.sha),
  ]);
  const others = Object.entries(state.checks)
    .filter(([sha]) => !shown.has(sha))
    .map(([sha, checks]) => ({ sha, at: Math.max(...checks.map((c) => c.updated_at)) }))
    .sort((a, b) => b.at - a.at);
  for (const { sha } of others.slice(MAX_UNREFERENCED_CHECKED_COMMITS)) delete state.checks[sha];
}
