import { describe, expect, it } from "vitest";
import { MAX_MESSAGE_LENGTH, renderCard } from "../../src/agent/card.ts";
import { applyDelivery, emptyState, type StreamState } from "../../src/agent/stream-state.ts";

function stateWithPulls(count: number, title: (n: number) => string): StreamState {
  const state = emptyState();
  for (let n = 1; n <= count; n += 1) {
    applyDelivery(state, {
      id: `d${n}`,
      event: "pull_request",
      summary: `pull request #${n} opened`,
      received_at: Date.UTC(2026, 11, 4, 12, 0, n % 60),
      change: {
        kind: "pull_request", repository: "octo/app", number: n, title: title(n),
        html_url: `https://github.com/octo/app/pull/${n}`, author: "alice", draft: n % 5 === 0, state: "open",
        head_sha: `${n}`.padStart(40, "a"), head_ref: `branch-${n}`, requested_reviewers: ["bob", "carol"], updated_at: n,
      },
    });
  }
  return state;
}

describe("card", () => {
  it("escapes HTML from payload text", () => {
    const card = renderCard("card", stateWithPulls(1, () => `<b>bold</b> & "quoted" <a href="https://evil.example">x</a>`));
    expect(card.html).toContain("&lt;b&gt;bold&lt;/b&gt; &amp; &quot;quoted&quot; &lt;a href=&quot;https://evil.example&quot;&gt;x&lt;/a&gt;");
    expect(card.html).not.toContain("evil.example\"");
  });

  it("links the pull request", () => {
    const card = renderCard("card", stateWithPulls(1, () => "Add search"));
    expect(card.html).toContain('<a href="https://github.com/octo/app/pull/1">#1</a>');
  });

  it("fits 4096 characters with many long titles", () => {
    const card = renderCard("card", stateWithPulls(100, (n) => `${"Ünïcødé 🚀 title ".repeat(40)} ${n}`));
    expect(card.text_length).toBeLessThanOrEqual(MAX_MESSAGE_LENGTH);
    expect(card.html).toMatch(/\.\.\. and \d+ more/);
  });

  it("renders the same state the same way", () => {
    const state = stateWithPulls(12, (n) => `Title ${n}`);
    expect(renderCard("card", state).html).toBe(renderCard("card", structuredClone(state)).html);
  });

  it("says so when there is no activity", () => {
    expect(renderCard("card", emptyState()).html).toContain("No activity yet");
  });

  it("shows times in UTC", () => {
    const card = renderCard("card", stateWithPulls(1, () => "x"));
    expect(card.html).toContain("2026-12-04 12:00 UTC");
  });
});
