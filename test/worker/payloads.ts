/** Real GitHub example payloads, adjusted per test so deliveries describe one pull request. */
import examples from "@octokit/webhooks-examples/api.github.com/index.json";

export type Payload = Record<string, any>;

export function example(event: string, match: (payload: Payload) => boolean = () => true): Payload {
  const found = examples.find((entry) => entry.name === event)?.examples.find((payload) => match(payload as Payload));
  if (found === undefined) throw new Error(`no ${event} example matches`);
  return structuredClone(found) as Payload;
}

export interface PullRequestFacts {
  number: number;
  title: string;
  headRef: string;
  headSha: string;
  updatedAt: string;
  action?: string;
}

/** Builds a pull_request delivery on GitHub's "opened" example. */
export function pullRequestPayload(facts: PullRequestFacts): Payload {
  const payload = example("pull_request", (p) => p.action === "opened");
  payload.action = facts.action ?? "opened";
  payload.number = facts.number;
  Object.assign(payload.pull_request, {
    number: facts.number,
    title: facts.title,
    updated_at: facts.updatedAt,
    html_url: `https://github.com/${payload.repository.full_name}/pull/${facts.number}`,
  });
  Object.assign(payload.pull_request.head, { ref: facts.headRef, sha: facts.headSha });
  return payload;
}

/** Builds a pull_request_review delivery for the same pull request on GitHub's example. */
export function reviewPayload(facts: PullRequestFacts, reviewer: string, state: "approved" | "changes_requested", submittedAt: string): Payload {
  const payload = example("pull_request_review", (p) => p.action === "submitted");
  const pull = pullRequestPayload(facts);
  payload.repository = pull.repository;
  payload.pull_request = pull.pull_request;
  Object.assign(payload.review, { state, submitted_at: submittedAt, commit_id: facts.headSha });
  payload.review.user = { ...payload.review.user, login: reviewer };
  return payload;
}

/** Builds a push delivery to `branch` of the same repository on GitHub's example. */
export function pushPayload(repository: Payload, branch: string, after: string, pushedAtSeconds: number, message: string): Payload {
  const payload = example("push", (p) => !p.deleted && p.head_commit !== null);
  payload.repository = { ...repository, pushed_at: pushedAtSeconds };
  payload.ref = `refs/heads/${branch}`;
  payload.after = after;
  payload.deleted = false;
  payload.forced = false;
  payload.head_commit = { ...payload.head_commit, id: after, message, url: `https://github.com/${repository.full_name}/commit/${after}` };
  payload.commits = [payload.head_commit];
  return payload;
}
