import type { PushChange } from "../../agent/delivery.ts";
import { type JsonObject, firstLine, flag, login, object, text, time } from "./fields.ts";

/** Reads a push delivery. Tag pushes are reported under their full ref (`refs/tags/v1`). */
export function readPush(payload: JsonObject, repository: string, receivedAt: number): PushChange | undefined {
  const ref = text(payload.ref);
  if (ref === "") return undefined;

  const headCommit = object(payload.head_commit);
  const commits = Array.isArray(payload.commits) ? payload.commits : [];
  const pusher = object(payload.pusher);
  // repository.pushed_at (epoch seconds) is when GitHub received the push; commit timestamps can be
  // far older after a rebase, so they only stand in when it is missing.
  const pushedAt = time(object(payload.repository)?.pushed_at, time(headCommit?.timestamp, receivedAt));

  return {
    kind: "push",
    repository,
    branch: ref.startsWith("refs/heads/") ? ref.slice("refs/heads/".length) : ref,
    after: text(payload.after),
    commit_count: commits.length,
    head_message: firstLine(text(headCommit?.message)),
    head_url: text(headCommit?.url),
    compare_url: text(payload.compare),
    pusher: text(pusher?.name) || login(payload.sender),
    forced: flag(payload.forced),
    created: flag(payload.created),
    deleted: flag(payload.deleted),
    pushed_at: pushedAt,
  };
}
