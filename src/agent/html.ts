/**
 * Builds Telegram HTML from plain segments, so every interpolated value is escaped and the visible
 * length (what Telegram counts against its 4096-character limit after parsing entities) is known
 * exactly.
 */

export interface Segment {
  text: string;
  bold?: boolean;
  italic?: boolean;
  code?: boolean;
  /** Only http(s) URLs become links; anything else renders as plain text. */
  href?: string;
}

export type Line = Array<string | Segment>;

/** Escapes the characters Telegram's HTML parse mode requires escaped, plus `"` for attributes. */
export function escapeHtml(value: string): string {
  return value.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

function isWebUrl(value: string | undefined): value is string {
  if (value === undefined || value === "") return false;
  try {
    const url = new URL(value);
    return url.protocol === "https:" || url.protocol === "http:";
  } catch {
    return false;
  }
}

function renderSegment(segment: string | Segment): string {
  if (typeof segment === "string") return escapeHtml(segment);
  let html = escapeHtml(segment.text);
  const link = isWebUrl(segment.href);
  // Telegram shows code spans as monospace blocks that cannot be tapped, so a link drops the code style.
  if (segment.code && !link) html = `<code>${html}</code>`;
  if (segment.italic) html = `<i>${html}</i>`;
  if (segment.bold) html = `<b>${html}</b>`;
  if (link) html = `<a href="${escapeHtml(segment.href!)}">${html}</a>`;
  return html;
}

/** Joins lines into HTML and returns the text length Telegram will count, in UTF-16 code units. */
export function renderLines(lines: readonly Line[]): { html: string; text_length: number } {
  const html = lines.map((line) => line.map(renderSegment).join("")).join("\n");
  const textLength = lines
    .map((line) => line.reduce((sum, segment) => sum + (typeof segment === "string" ? segment : segment.text).length, 0))
    .reduce((sum, length) => sum + length, Math.max(0, lines.length - 1));
  return { html, text_length: textLength };
}

/** Shortens `value` to at most `max` UTF-16 code units without splitting a surrogate pair. */
export function truncate(value: string, max: number): string {
  const clean = value.replace(/\s+/g, " ").trim();
  if (clean.length <= max) return clean;
  let end = max - 1;
  const code = clean.charCodeAt(end - 1);
  if (code >= 0xd800 && code <= 0xdbff) end -= 1;
  return `${clean.slice(0, end)}…`;
}

/** Formats epoch milliseconds as `2026-12-04 19:52 UTC`. */
export function formatUtc(epochMs: number): string {
  const iso = new Date(epochMs).toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;
}
