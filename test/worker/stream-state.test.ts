import { describe, expect, it } from "vitest";
import type { Change, Delivery } from "../../src/agent/delivery.ts";
import { MAX_OPEN_PULL_REQUESTS, applyDelivery, emptyState, rollUpChecks } from "../../src/agent/stream-state.ts";

let sequence = 0;
function delivery(change: Change, receivedAt = 1_000 + sequence): Delivery {
  sequence += 1;
  return { id: `d${sequence}`, event: change.kind, summary: change.kind, received_at: receivedAt, change };
}

function pull(overrides: Partial<Extract<Change, { kind: "pull_request" }>> = {}): Extract<Change, { kind: "pull_request" }> {
  return {
    kind: "pull_request",
    repository: "octo/app",
    number: 7,
    title: "Add search",
    html_url: "https://github.com/octo/app/pull/7",
    author: "alice",
    draft: false,
    state: "open",
    head_sha: "a".repeat(40),
    head_ref: "search",
    requested_reviewers: ["bob"],
    updated_at: 10_000,
    ...overrides,
  };
}

describe("stream state", () => {
  it("ignores an older pull_request delivery", () => {
    const state = emptyState();
    applyDelivery(state, delivery(pull({ title: "new title", updated_at: 20_000 })));
    applyDelivery(state, delivery(pull({ title: "old title", updated_at: 10_000 })));
    expect(state.pull_requests[0]?.title).toBe("new title");
  });

  it("keeps merged state against a late synchronize", () => {
    const state = emptyState();
    applyDelivery(state, delivery(pull({ state: "merged", merged_by: "carol", updated_at: 30_000 })));
    applyDelivery(state, delivery(pull({ state: "open", updated_at: 20_000 })));
    expect(state.pull_requests[0]?.state).toBe("merged");
  });

  it("moves the head on a push to the head branch", () => {
    const state = emptyState();
    applyDelivery(state, delivery(pull()));
    applyDelivery(state, delivery({
      kind: "push", repository: "octo/app", branch: "search", after: "b".repeat(40), commit_count: 2,
      head_message: "Fix", head_url: "", compare_url: "", pusher: "alice", forced: false, created: false, deleted: false,
      pushed_at: 15_000,
    }));
    // A review delivered late carries the pull request as it was before the push.
    applyDelivery(state, delivery({ kind: "review", repository: "octo/app", number: 7, reviewer: "bob", state: "approved", submitted_at: 12_000, pull_request: pull({ updated_at: 12_000 }) }));
    expect(state.pull_requests[0]?.head_sha).toBe("b".repeat(40));
    expect(state.pull_requests[0]?.reviews.bob?.state).toBe("approved");
    expect(state.pull_requests[0]?.requested_reviewers).toEqual([]);
  });

  it("keeps an approval over a later comment", () => {
    const state = emptyState();
    applyDelivery(state, delivery(pull()));
    applyDelivery(state, delivery({ kind: "review", repository: "octo/app", number: 7, reviewer: "bob", state: "approved", submitted_at: 11_000 }));
    applyDelivery(state, delivery({ kind: "review", repository: "octo/app", number: 7, reviewer: "bob", state: "commented", submitted_at: 12_000 }));
    expect(state.pull_requests[0]?.reviews.bob?.state).toBe("approved");
  });

  it("does not reopen a completed check", () => {
    const state = emptyState();
    const sha = "c".repeat(40);
    applyDelivery(state, delivery({ kind: "check", repository: "octo/app", source: "check_suite", name: "CI", head_sha: sha, state: "success", html_url: "", updated_at: 20_000 }));
    applyDelivery(state, delivery({ kind: "check", repository: "octo/app", source: "check_suite", name: "CI", head_sha: sha, state: "pending", html_url: "", updated_at: 10_000 }));
    expect(rollUpChecks(state.checks[sha])).toBe("success");
  });

  it("rolls up any failure as failure", () => {
    expect(rollUpChecks([
      { source: "check_run", name: "lint", state: "success", html_url: "", updated_at: 1 },
      { source: "check_run", name: "test", state: "failure", html_url: "", updated_at: 1 },
      { source: "status", name: "ci/x", state: "pending", html_url: "", updated_at: 1 },
    ])).toBe("failure");
  });

  it("stays bounded after many deliveries", () => {
    const state = emptyState();
    for (let n = 1; n <= 1_000; n += 1) {
      applyDelivery(state, delivery(pull({ number: n, head_sha: `${n}`.padStart(40, "0"), updated_at: n })));
      applyDelivery(state, delivery({ kind: "check", repository: "octo/app", source: "check_run", name: "ci", head_sha: `f${n}`, state: "success", html_url: "", updated_at: n }));
      applyDelivery(state, delivery({
        kind: "push", repository: "octo/app", branch: `b${n}`, after: `e${n}`, commit_count: 1, head_message: "m", head_url: "",
        compare_url: "", pusher: "p", forced: false, created: false, deleted: false, pushed_at: n,
      }));
    }
    expect(state.pull_requests.length).toBe(MAX_OPEN_PULL_REQUESTS);
    expect(state.pushes.length).toBe(10);
    expect(Object.keys(state.checks).length).toBeLessThanOrEqual(40);
    expect(JSON.stringify(state).length).toBeLessThan(100_000);
  });
});
