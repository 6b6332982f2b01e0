/**
 * The status card: one HTML message per stream, pinned in its topic.
 *
 * Rendering is deterministic for a given state (no "now"), so an unchanged state renders the same
 * card and the agent can skip the repin. Lists are sorted newest first with stable tie-breaks.
 */
import type { InlineKeyboardMarkup } from "@grammyjs/types";
import type { CheckState } from "./delivery.ts";
import { type Line, type Segment, formatUtc, renderLines, truncate } from "./html.ts";
import { type PullRequest, type StreamState, rollUpChecks } from "./stream-state.ts";

/** Telegram's limit on message text after entity parsing. */
export const MAX_MESSAGE_LENGTH = 4096;

export const REFRESH_CALLBACK_DATA = "refresh";

/** The inline keyboard under every card. */
export const CARD_MARKUP: InlineKeyboardMarkup = {
  inline_keyboard: [[{ text: "🔄 Refresh", callback_data: REFRESH_CALLBACK_DATA }]],
};

export interface Card {
  html: string;
  text_length: number;
}

interface Limits {
  open: number;
  checks: number;
  closed: number;
  pushes: number;
  deployments: number;
  issues: number;
  title: number;
}

/** Tried in order until the card fits; the last one fits any state the agent keeps. */
const LIMIT_STEPS: Limits[] = [
  { open: 15, checks: 3, closed: 3, pushes: 5, deployments: 4, issues: 5, title: 90 },
  { open: 10, checks: 2, closed: 3, pushes: 3, deployments: 3, issues: 3, title: 60 },
  { open: 6, checks: 1, closed: 2, pushes: 2, deployments: 2, issues: 2, title: 40 },
  { open: 3, checks: 1, closed: 1, pushes: 1, deployments: 1, issues: 1, title: 24 },
];

const CHECK_LABEL: Record<CheckState, string> = {
  success: "✅ CI passed",
  failure: "❌ CI failed",
  pending: "⏳ CI running",
  neutral: "⚪ CI neutral",
};

export function renderCard(stream: string, state: StreamState): Card {
  let card: Card = { html: "", text_length: Number.POSITIVE_INFINITY };
  for (const limits of LIMIT_STEPS) {
    card = renderLines(buildLines(stream, state, limits));
    if (card.text_length <= MAX_MESSAGE_LENGTH) return card;
  }
  return card;
}

function buildLines(stream: string, state: StreamState, limits: Limits): Line[] {
  const repositories = new Set(
    [...state.pull_requests, ...state.pushes, ...state.deployments, ...state.issues].map((item) => item.repository),
  );
  if (state.release !== undefined) repositories.add(state.release.repository);
  const showRepository = repositories.size > 1;

  const header: Line = [{ text: `📋 ${stream}`, bold: true }];
  if (repositories.size === 1) header.push(` · ${[...repositories][0]}`);
  const lines: Line[] = [header];
  if (state.last_event !== undefined) lines.push([{ text: `as of ${formatUtc(state.last_event.received_at)}`, italic: true }]);

  const sections = [
    pullRequestSection(state, limits, showRepository),
    closedSection(state, limits, showRepository),
    pushSection(state, limits, showRepository),
    checkSection(state, limits),
    releaseSection(state),
    deploymentSection(state, limits, showRepository),
    issueSection(state, limits, showRepository),
  ].filter((section) => section.length > 0);

  if (sections.length === 0) lines.push([], ["No activity yet. GitHub deliveries for this stream will show up here."]);
  for (const section of sections) lines.push([], ...section);

  if (state.last_event !== undefined) {
    lines.push([], [{ text: `Last: ${truncate(state.last_event.summary, limits.title + 40)}`, italic: true }]);
  }
  return lines;
}

function moreLine(total: number, shown: number): Line[] {
  return total > shown ? [[`... and ${total - shown} more`]] : [];
}

function number(item: { repository: string; number: number; html_url: string }, showRepository: boolean): Segment {
  const label = showRepository ? `${item.repository}#${item.number}` : `#${item.number}`;
  return { text: label, href: item.html_url };
}

function pullRequestIcon(pull: PullRequest): string {
  if (pull.state === "merged") return "🟣";
  if (pull.state === "closed") return "🔴";
  return pull.draft ? "📝" : "🟢";
}

function reviewLine(pull: PullRequest, checks: CheckState | undefined): string {
  const parts: string[] = [];
  if (checks !== undefined) parts.push(CHECK_LABEL[checks]);
  const reviewers = Object.entries(pull.reviews).sort(([a], [b]) => a.localeCompare(b));
  const approved = reviewers.filter(([, review]) => review.state === "approved").map(([name]) => name);
  const changes = reviewers.filter(([, review]) => review.state === "changes_requested").map(([name]) => name);
  const commented = reviewers.filter(([, review]) => review.state === "commented").map(([name]) => name);
  if (approved.length > 0) parts.push(`👍 ${approved.join(", ")}`);
  if (changes.length > 0) parts.push(`✋ changes: ${changes.join(", ")}`);
  if (commented.length > 0) parts.push(`💬 ${commented.join(", ")}`);
  if (pull.requested_reviewers.length > 0) parts.push(`👀 waiting: ${pull.requested_reviewers.join(", ")}`);
  return parts.join(" · ");
}

function pullRequestSection(state: StreamState, limits: Limits, showRepository: boolean): Line[] {
  const open = state.pull_requests
    .filter((pull) => pull.state === "open")
    .sort((a, b) => b.updated_at - a.updated_at || a.number - b.number);
  if (open.length === 0) return [];

  const lines: Line[] = [[{ text: `Open pull requests (${open.length})`, bold: true }]];
  for (const pull of open.slice(0, limits.open)) {
    const line: Line = [`${pullRequestIcon(pull)} `, number(pull, showRepository), ` ${truncate(pull.title, limits.title)}`];
    if (pull.author !== "") line.push(` · ${pull.author}`);
    if (pull.draft) line.push(" · draft");
    lines.push(line);

    const detail = reviewLine(pull, rollUpChecks(state.checks[pull.head_sha]));
    const head = pull.head_sha !== "" ? pull.head_sha.slice(0, 7) : "";
    const headLine = [head !== "" ? `head ${head}` : "", detail].filter((part) => part !== "").join(" · ");
    if (headLine !== "") lines.push([`    ${headLine}`]);
  }
  return [...lines, ...moreLine(open.length, limits.open)];
}

function closedSection(state: StreamState, limits: Limits, showRepository: boolean): Line[] {
  const closed = state.pull_requests
    .filter((pull) => pull.state !== "open")
    .sort((a, b) => b.updated_at - a.updated_at || a.number - b.number);
  if (closed.length === 0) return [];

  const lines: Line[] = [[{ text: "Merged and closed", bold: true }]];
  for (const pull of closed.slice(0, limits.closed)) {
    const outcome = pull.state === "merged" ? `merged${pull.merged_by ? ` by ${pull.merged_by}` : ""}` : "closed";
    lines.push([`${pullRequestIcon(pull)} `, number(pull, showRepository), ` ${truncate(pull.title, limits.title)} · ${outcome}`]);
  }
  return lines;
}

function pushSection(state: StreamState, limits: Limits, showRepository: boolean): Line[] {
  if (state.pushes.length === 0) return [];

  const pushes = [...state.pushes].sort((a, b) => b.pushed_at - a.pushed_at || a.branch.localeCompare(b.branch));
  const lines: Line[] = [[{ text: "Latest pushes", bold: true }]];
  for (const push of pushes.slice(0, limits.pushes)) {
    const branch = showRepository ? `${push.repository}:${push.branch}` : push.branch;
    const by = push.pusher !== "" ? ` by ${push.pusher}` : "";
    if (push.deleted) {
      lines.push([{ text: branch, code: true }, ` deleted${by}`]);
      continue;
    }
    const commits = push.commit_count === 1 ? "1 commit" : `${push.commit_count} commits`;
    let verb = commits;
    if (push.forced) verb = `⚠️ force-pushed ${commits}`;
    else if (push.created) verb = `created with ${commits}`;
    const line: Line = [{ text: branch, code: true }, `: ${verb}${by}`];
    if (push.after !== "") line.push(" → ", { text: push.after.slice(0, 7), href: push.head_url || push.compare_url });
    if (push.head_message !== "") line.push(` ${truncate(push.head_message, limits.title)}`);
    line.push(` · ${formatUtc(push.pushed_at)}`);
    lines.push(line);
  }
  return [...lines, ...moreLine(pushes.length, limits.pushes)];
}

const CHECK_ICON: Record<CheckState, string> = { success: "✅", failure: "❌", pending: "⏳", neutral: "⚪" };

/** Checks on commits that no open pull request shows, such as the default branch after a merge. */
function checkSection(state: StreamState, limits: Limits): Line[] {
  const shownOnPullRequests = new Set(state.pull_requests.filter((p) => p.state === "open").map((p) => p.head_sha));
  const commits = Object.entries(state.checks)
    .filter(([sha, checks]) => !shownOnPullRequests.has(sha) && checks.length > 0)
    .map(([sha, checks]) => ({ sha, checks, at: Math.max(...checks.map((c) => c.updated_at)) }))
    .sort((a, b) => b.at - a.at || a.sha.localeCompare(b.sha));
  if (commits.length === 0) return [];

  const lines: Line[] = [[{ text: "Checks", bold: true }]];
  for (const commit of commits.slice(0, limits.checks)) {
    const state = rollUpChecks(commit.checks) ?? "neutral";
    const names = [...commit.checks].sort((a, b) => a.name.localeCompare(b.name));
    const link = names.find((c) => c.state === state)?.html_url ?? names[0]?.html_url;
    const label = names.map((c) => truncate(c.name, 30)).slice(0, 3).join(", ") + (names.length > 3 ? ` +${names.length - 3}` : "");
    lines.push([`${CHECK_ICON[state]} `, { text: commit.sha.slice(0, 7), code: true, href: link }, ` ${label}: ${state}`]);
  }
  return [...lines, ...moreLine(commits.length, limits.checks)];
}

function releaseSection(state: StreamState): Line[] {
  const release = state.release;
  if (release === undefined) return [];

  const title = release.name !== "" && release.name !== release.tag_name ? ` ${truncate(release.name, 60)}` : "";
  const kind = release.prerelease ? "pre-release" : "release";
  return [
    [{ text: "Latest release", bold: true }],
    ["🏷 ", { text: release.tag_name || "untagged", href: release.html_url }, `${title} · ${kind} ${formatUtc(release.updated_at)}`],
  ];
}

const DEPLOYMENT_ICON: Record<string, string> = {
  success: "✅",
  failure: "❌",
  error: "❌",
  inactive: "⚪",
  in_progress: "⏳",
  queued: "⏳",
  pending: "⏳",
};

function deploymentSection(state: StreamState, limits: Limits, showRepository: boolean): Line[] {
  if (state.deployments.length === 0) return [];

  const deployments = [...state.deployments].sort((a, b) => b.updated_at - a.updated_at);
  const lines: Line[] = [[{ text: "Deployments", bold: true }]];
  for (const deployment of deployments.slice(0, limits.deployments)) {
    const environment = showRepository ? `${deployment.repository} ${deployment.environment}` : deployment.environment;
    const icon = DEPLOYMENT_ICON[deployment.state] ?? "🚀";
    const line: Line = [`${icon} `, { text: truncate(environment, 40), href: deployment.target_url }, `: ${deployment.state}`];
    if (deployment.sha !== "") line.push(" · ", { text: deployment.sha.slice(0, 7), code: true });
    line.push(` · ${formatUtc(deployment.updated_at)}`);
    lines.push(line);
  }
  return [...lines, ...moreLine(deployments.length, limits.deployments)];
}

function issueSection(state: StreamState, limits: Limits, showRepository: boolean): Line[] {
  if (state.issues.length === 0) return [];

  const issues = [...state.issues].sort((a, b) => b.updated_at - a.updated_at || a.number - b.number);
  const lines: Line[] = [[{ text: "Issues", bold: true }]];
  for (const issue of issues.slice(0, limits.issues)) {
    const icon = issue.state === "open" ? "🟢 opened" : "⚪ closed";
    lines.push([`${icon} `, number(issue, showRepository), ` ${truncate(issue.title, limits.title)}`]);
  }
  return [...lines, ...moreLine(issues.length, limits.issues)];
}
