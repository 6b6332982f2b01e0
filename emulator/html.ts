/**
 * Telegram's HTML parse mode, following tdlib's parser (td/telegram/MessageEntity.cpp): the same
 * accepted tags, the same error causes, and byte offsets counted in the UTF-8 input.
 *
 * NOTE: like tdlib, an `&` that does not start a known entity (`&lt;` `&gt;` `&amp;` `&quot;` or a
 * numeric reference) is kept as a literal `&`, and a bare `>` is kept too. The Bot API
 * documentation tells clients to escape both, but the server accepts them unescaped.
 */

export type MessageEntity = {
  type: string;
  offset: number;
  length: number;
  url?: string;
  language?: string;
};

export type ParsedText = { text: string; entities: MessageEntity[] };

/** The cause tdlib reports for rejected markup; callers prefix it with "Can't parse entities: ". */
export class HtmlParseError extends Error {
  constructor(cause: string) {
    super(cause);
    this.name = "HtmlParseError";
  }
}

const SUPPORTED_TAGS = new Set([
  "a", "b", "strong", "i", "em", "s", "strike", "del", "u", "ins",
  "tg-spoiler", "tg-emoji", "span", "pre", "code", "blockquote",
]);

const ENTITY_TYPE_BY_TAG: Record<string, string> = {
  b: "bold", strong: "bold",
  i: "italic", em: "italic",
  s: "strikethrough", strike: "strikethrough", del: "strikethrough",
  u: "underline", ins: "underline",
  "tg-spoiler": "spoiler", span: "spoiler",
  "tg-emoji": "custom_emoji",
  pre: "pre", code: "code", blockquote: "blockquote", a: "text_link",
};

type OpenTag = { name: string; argument: string; utf16Offset: number };

const LT = 0x3c, GT = 0x3e, AMP = 0x26, SLASH = 0x2f, EQUALS = 0x3d, SEMICOLON = 0x3b, HASH = 0x23;
const QUOTE = 0x22, APOSTROPHE = 0x27;

function isSpace(byte: number | undefined): boolean {
  return byte === 0x20 || byte === 0x09 || byte === 0x0a || byte === 0x0d;
}

function isAlpha(byte: number | undefined): boolean {
  return byte !== undefined && ((byte >= 0x41 && byte <= 0x5a) || (byte >= 0x61 && byte <= 0x7a));
}

function isDigit(byte: number | undefined): boolean {
  return byte !== undefined && byte >= 0x30 && byte <= 0x39;
}

function hexValue(byte: number | undefined): number {
  if (byte === undefined) return -1;
  if (isDigit(byte)) return byte - 0x30;
  const lower = byte | 0x20;
  return lower >= 0x61 && lower <= 0x66 ? lower - 0x61 + 10 : -1;
}

/**
 * Decodes the character reference at `position`, or returns null when it is not one. The
 * trailing `;` is optional, as in tdlib.
 */
function decodeEntityAt(bytes: Uint8Array, position: number): { codePoint: number; end: number } | null {
  let end = position + 1;
  let codePoint = 0;

  if (bytes[end] === HASH) {
    end++;
    const hex = bytes[end] === 0x78;
    if (hex) end++;
    const digitsStart = end;
    while (hex ? hexValue(bytes[end]) >= 0 : isDigit(bytes[end])) {
      codePoint = codePoint * (hex ? 16 : 10) + (hex ? hexValue(bytes[end]) : (bytes[end] ?? 0) - 0x30);
      if (codePoint >= 0x10ffff) return null;
      end++;
    }
    if (end === digitsStart || codePoint === 0 || (codePoint >= 0xd800 && codePoint <= 0xdfff)) return null;
  } else {
    while (isAlpha(bytes[end])) end++;
    const name = Buffer.from(bytes.subarray(position + 1, end)).toString("latin1");
    const named: Record<string, number> = { lt: 0x3c, gt: 0x3e, amp: 0x26, quot: 0x22 };
    const found = named[name];
    if (found === undefined) return null;
    codePoint = found;
  }

  if (bytes[end] === SEMICOLON) end++;
  return { codePoint, end };
}

function decodeUtf8(bytes: Uint8Array, start: number, end: number): string {
  return Buffer.from(bytes.subarray(start, end)).toString("utf8");
}

/** Parses HTML-formatted text into plain text and entities, or throws HtmlParseError. */
export function parseHtml(html: string): ParsedText {
  const bytes = new TextEncoder().encode(html);
  const output: string[] = [];
  const entities: MessageEntity[] = [];
  const open: OpenTag[] = [];
  let utf16Offset = 0;
  let i = 0;

  while (i < bytes.length) {
    const byte = bytes[i] ?? 0;

    if (byte === AMP) {
      const decoded = decodeEntityAt(bytes, i);
      if (decoded !== null) {
        const character = String.fromCodePoint(decoded.codePoint);
        output.push(character);
        utf16Offset += character.length;
        i = decoded.end;
        continue;
      }
    }

    if (byte !== LT) {
      let end = i + 1;
      while (end < bytes.length && bytes[end] !== LT && bytes[end] !== AMP) end++;
      const chunk = decodeUtf8(bytes, i, end);
      output.push(chunk);
      utf16Offset += chunk.length;
      i = end;
      continue;
    }

    const tagStart = i;
    i++;
    if (bytes[i] !== SLASH) {
      i = parseStartTag(bytes, tagStart, open, utf16Offset);
      continue;
    }

    // An end tag closes the innermost open tag; its name is optional, as in `</>`.
    if (open.length === 0) throw new HtmlParseError(`Unexpected end tag at byte offset ${tagStart}`);
    while (i < bytes.length && !isSpace(bytes[i]) && bytes[i] !== GT) i++;
    const endName = decodeUtf8(bytes, tagStart + 2, i).toLowerCase();
    while (i < bytes.length && isSpace(bytes[i])) i++;
    if (bytes[i] !== GT) throw new HtmlParseError(`Unclosed end tag at byte offset ${tagStart}`);
    i++;

    const tag = open.pop() as OpenTag;
    if (endName !== "" && endName !== tag.name) {
      throw new HtmlParseError(
        `Unmatched end tag at byte offset ${tagStart}, expected "</${tag.name}>", found "</${endName}>"`,
      );
    }
    addEntity(entities, tag, utf16Offset);
  }

  const unclosed = open.at(-1);
  if (unclosed !== undefined) {
    throw new HtmlParseError(`Can't find end tag corresponding to start tag "${unclosed.name}"`);
  }

  // A language outside <pre> is dropped: the Bot API's code entity has no language field.
  for (const entity of entities) {
    if (entity.type === "code") delete entity.language;
  }
  entities.sort((a, b) => a.offset - b.offset || b.length - a.length);
  return { text: output.join(""), entities };
}

/** Reads one start tag with its attributes and returns the index after its `>`. */
function parseStartTag(bytes: Uint8Array, tagStart: number, open: OpenTag[], utf16Offset: number): number {
  let i = tagStart + 1;
  while (i < bytes.length && !isSpace(bytes[i]) && bytes[i] !== GT) i++;
  if (i >= bytes.length) throw new HtmlParseError(`Unclosed start tag at byte offset ${tagStart}`);

  const name = decodeUtf8(bytes, tagStart + 1, i).toLowerCase();
  if (!SUPPORTED_TAGS.has(name)) {
    throw new HtmlParseError(`Unsupported start tag "${name}" at byte offset ${tagStart}`);
  }

  let argument = "";
  while (bytes[i] !== GT) {
    while (i < bytes.length && isSpace(bytes[i])) i++;
    if (bytes[i] === GT) break;
    if (i >= bytes.length) throw new HtmlParseError(`Unclosed start tag at byte offset ${tagStart}`);

    const attributeStart = i;
    while (i < bytes.length && !isSpace(bytes[i]) && bytes[i] !== EQUALS && bytes[i] !== GT) i++;
    const attribute = decodeUtf8(bytes, attributeStart, i).toLowerCase();
    if (attribute === "") {
      throw new HtmlParseError(`Empty attribute name in the tag "${name}" at byte offset ${tagStart}`);
    }
    while (i < bytes.length && isSpace(bytes[i])) i++;

    // A bare attribute such as `<blockquote expandable>` has no value.
    let value = "";
    if (bytes[i] === EQUALS) {
      i++;
      while (i < bytes.length && isSpace(bytes[i])) i++;
      if (i >= bytes.length) throw new HtmlParseError(`Unclosed start tag "${name}" at byte offset ${tagStart}`);
      [value, i] = readAttributeValue(bytes, i);
    } else if (!(attribute === "expandable" && name === "blockquote")) {
      throw new HtmlParseError(
        `Expected equal sign in declaration of an attribute of the tag "${name}" at byte offset ${tagStart}`,
      );
    }
    if (i >= bytes.length) throw new HtmlParseError(`Unclosed start tag at byte offset ${tagStart}`);

    if (name === "a" && attribute === "href") argument = value;
    if (name === "code" && attribute === "class" && value.startsWith("language-")) argument = value.slice(9);
    if (name === "span" && attribute === "class" && value.startsWith("tg-")) argument = value.slice(3);
    if (name === "tg-emoji" && attribute === "emoji-id") argument = value;
    if (name === "blockquote" && attribute === "expandable") argument = "expandable";
  }
  i++;

  if (name === "span" && argument !== "spoiler") {
    throw new HtmlParseError(`Tag "span" must have class "tg-spoiler" at byte offset ${tagStart}`);
  }
  open.push({ name, argument, utf16Offset });
  return i;
}

/** Reads a quoted string or an unquoted name token; returns the value and the next index. */
function readAttributeValue(bytes: Uint8Array, start: number): [string, number] {
  let i = start;
  const quote = bytes[i];

  if (quote !== QUOTE && quote !== APOSTROPHE) {
    while (isAlpha(bytes[i]) || isDigit(bytes[i]) || bytes[i] === 0x2e || bytes[i] === 0x2d) i++;
    if (i < bytes.length && !isSpace(bytes[i]) && bytes[i] !== GT) {
      throw new HtmlParseError(`Unexpected end of name token at byte offset ${start}`);
    }
    return [decodeUtf8(bytes, start, i).toLowerCase(), i];
  }

  i++;
  const parts: string[] = [];
  while (i < bytes.length && bytes[i] !== quote) {
    const decoded = bytes[i] === AMP ? decodeEntityAt(bytes, i) : null;
    if (decoded !== null) {
      parts.push(String.fromCodePoint(decoded.codePoint));
      i = decoded.end;
      continue;
    }
    let end = i + 1;
    while (end < bytes.length && bytes[end] !== quote && bytes[end] !== AMP) end++;
    parts.push(decodeUtf8(bytes, i, end));
    i = end;
  }
  if (bytes[i] === quote) i++;
  return [parts.join(""), i];
}

/** Adds the entity of a closed tag; empty ranges and links without a URL add nothing, as in tdlib. */
function addEntity(entities: MessageEntity[], tag: OpenTag, endOffset: number): void {
  const length = endOffset - tag.utf16Offset;
  if (length === 0) return;

  const entity: MessageEntity = { type: ENTITY_TYPE_BY_TAG[tag.name] ?? tag.name, offset: tag.utf16Offset, length };
  if (tag.name === "a") {
    if (tag.argument === "") return;
    entity.url = tag.argument;
  }
  if (tag.name === "blockquote" && tag.argument === "expandable") entity.type = "expandable_blockquote";
  if (tag.name === "pre") {
    // `<pre><code class="language-x">` becomes one pre entity that carries the language.
    const inner = entities.at(-1);
    if (inner?.type === "code" && inner.offset === entity.offset && inner.length === length && inner.language) {
      entities.pop();
      entity.language = inner.language;
    }
  }
  if (tag.name === "code" && tag.argument !== "") entity.language = tag.argument;
  entities.push(entity);
}

const TRIMMED = /^[\s]+|[\s]+$/gu;

/**
 * Strips leading and trailing white space the way Telegram does before storing a message, and
 * moves or clips the entities to match.
 */
export function trimParsedText(parsed: ParsedText): ParsedText {
  const leading = parsed.text.length - parsed.text.trimStart().length;
  const text = parsed.text.replace(TRIMMED, "");
  const entities: MessageEntity[] = [];

  for (const entity of parsed.entities) {
    const start = Math.max(entity.offset - leading, 0);
    const end = Math.min(entity.offset + entity.length - leading, text.length);
    if (end <= start) continue;
    entities.push({ ...entity, offset: start, length: end - start });
  }
  return { text, entities };
}
