// Turns `wrangler tail --format json` output into one-line summaries of the hub's JSON log lines.
// wrangler prints each tail event as an indented JSON object, so objects are split by brace depth.

/** One log line the hub writes with console.log(JSON.stringify(...)); every field may be absent. */
export interface HubLogLine {
  at?: string;
  level?: string;
  msg?: string;
  delivery_id?: string;
  event?: string;
  action?: string;
  stream?: string;
  chat_id?: number | string;
  message_thread_id?: number;
  method?: string;
  outcome?: string;
  error_code?: number | string;
  duration_ms?: number;
  [key: string]: unknown;
}

/** Accumulates streamed text and returns each complete top-level JSON object as it closes. */
export class JsonObjectSplitter {
  private buffer = "";
  private depth = 0;
  private inString = false;
  private escaped = false;
  private start = -1;

  push(chunk: string): string[] {
    const complete: string[] = [];
    const offset = this.buffer.length;
    this.buffer += chunk;

    for (let index = offset; index < this.buffer.length; index += 1) {
      const character = this.buffer[index];
      if (this.inString) {
        if (this.escaped) this.escaped = false;
        else if (character === "\\") this.escaped = true;
        else if (character === '"') this.inString = false;
        continue;
      }
      if (character === '"' && this.depth > 0) this.inString = true;
      else if (character === "{") {
        if (this.depth === 0) this.start = index;
        this.depth += 1;
      } else if (character === "}" && this.depth > 0) {
        this.depth -= 1;
        if (this.depth === 0) complete.push(this.buffer.slice(this.start, index + 1));
      }
    }

    // Keep only the unfinished object, so memory stays bounded on a long --follow.
    if (this.depth === 0) this.buffer = "";
    else if (this.start > 0) {
      this.buffer = this.buffer.slice(this.start);
      this.start = 0;
    }
    return complete;
  }
}

function asRecord(value: unknown): Record<string, unknown> | undefined {
  return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

/** A line for the terminal: a hub log line, a plain console message, or an uncaught exception. */
export type TailEntry =
  | { kind: "hub"; line: HubLogLine }
  | { kind: "text"; level: string; text: string; at: string | undefined }
  | { kind: "exception"; name: string; message: string; at: string | undefined };

/** Extracts the entries of one tail event: `logs[].message[]` items and `exceptions[]`. */
export function entriesOfTailEvent(event: unknown): TailEntry[] {
  const record = asRecord(event);
  if (!record) return [];
  const entries: TailEntry[] = [];
  const eventAt = typeof record.eventTimestamp === "number" ? new Date(record.eventTimestamp).toISOString() : undefined;

  for (const log of Array.isArray(record.logs) ? record.logs : []) {
    const logRecord = asRecord(log);
    if (!logRecord) continue;
    const level = typeof logRecord.level === "string" ? logRecord.level : "log";
    const at = typeof logRecord.timestamp === "number" ? new Date(logRecord.timestamp).toISOString() : eventAt;
    for (const part of Array.isArray(logRecord.message) ? logRecord.message : []) {
      const parsed = parseHubLine(part);
      if (parsed) entries.push({ kind: "hub", line: { at, ...parsed } });
      else entries.push({ kind: "text", level, text: typeof part === "string" ? part : JSON.stringify(part), at });
    }
  }

  for (const exception of Array.isArray(record.exceptions) ? record.exceptions : []) {
    const item = asRecord(exception);
    if (!item) continue;
    entries.push({
      kind: "exception",
      name: typeof item.name === "string" ? item.name : "Error",
      message: typeof item.message === "string" ? item.message : "",
      at: typeof item.timestamp === "number" ? new Date(item.timestamp).toISOString() : eventAt,
    });
  }
  return entries;
}

/** Reads a console.log argument as a hub log line: a JSON string or an object with `msg`. */
function parseHubLine(part: unknown): HubLogLine | undefined {
  let value: unknown = part;
  if (typeof part === "string") {
    if (!part.trimStart().startsWith("{")) return undefined;
    try {
      value = JSON.parse(part);
    } catch {
      return undefined;
    }
  }
  const record = asRecord(value);
  return record && typeof record.msg === "string" ? (record as HubLogLine) : undefined;
}

function clockTime(at: string | undefined): string {
  if (!at) return "--:--:--";
  return (at.split("T")[1] ?? at).replace(/Z$/, "");
}

/** Formats a hub log line as `HH:MM:SS.mmm LEVEL msg key=value ...`, omitting absent fields. */
export function summarizeHubLine(line: HubLogLine): string {
  const level = (line.level ?? "info").toUpperCase().padEnd(5);
  const eventName = line.event ? `${line.event}${line.action ? `.${line.action}` : ""}` : undefined;
  const thread = line.message_thread_id !== undefined ? `/${line.message_thread_id}` : "";
  const fields: Array<[string, unknown]> = [
    ["delivery", line.delivery_id],
    ["event", eventName],
    ["stream", line.stream],
    ["chat", line.chat_id !== undefined ? `${line.chat_id}${thread}` : undefined],
    ["method", line.method],
    ["outcome", line.outcome],
    ["error", line.error_code],
  ];
  const parts = fields.filter(([, value]) => value !== undefined && value !== "").map(([key, value]) => `${key}=${String(value)}`);
  const duration = typeof line.duration_ms === "number" ? ` ${line.duration_ms}ms` : "";
  const details = parts.length > 0 ? ` ${parts.join(" ")}` : "";
  return `${clockTime(line.at)} ${level} ${line.msg ?? ""}${details}${duration}`;
}

export function summarizeEntry(entry: TailEntry): string {
  if (entry.kind === "hub") return summarizeHubLine(entry.line);
  if (entry.kind === "exception") return `${clockTime(entry.at)} ERROR uncaught ${entry.name}: ${entry.message}`;
  return `${clockTime(entry.at)} ${entry.level.toUpperCase().padEnd(5)} ${entry.text}`;
}
