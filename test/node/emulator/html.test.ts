import { describe, expect, test } from "vitest";
import { HtmlParseError, parseHtml } from "../../../emulator/html.ts";
import { CHAT, start } from "./helpers.ts";

function parseError(html: string): string {
  try {
    parseHtml(html);
  } catch (error) {
    if (error instanceof HtmlParseError) return error.message;
    throw error;
  }
  throw new Error(`expected ${JSON.stringify(html)} to fail`);
}

describe("parseHtml", () => {
  test("nested tags become entities", () => {
    expect(parseHtml("<b>bold <i>both</i></b> plain")).toEqual({
      text: "bold both plain",
      entities: [
        { type: "bold", offset: 0, length: 9 },
        { type: "italic", offset: 5, length: 4 },
      ],
    });
  });

  test("every supported tag", () => {
    const { entities } = parseHtml(
      "<strong>a</strong><em>b</em><u>c</u><ins>d</ins><s>e</s><strike>f</strike><del>g</del>" +
        '<span class="tg-spoiler">h</span><tg-spoiler>i</tg-spoiler><code>j</code><pre>k</pre>' +
        "<blockquote>l</blockquote><blockquote expandable>m</blockquote>",
    );
    expect(entities.map((entity) => entity.type)).toEqual([
      "bold", "italic", "underline", "underline", "strikethrough", "strikethrough", "strikethrough",
      "spoiler", "spoiler", "code", "pre", "blockquote", "expandable_blockquote",
    ]);
  });

  test("link keeps its href", () => {
    expect(parseHtml('<a href="https://example.com/?a=1&amp;b=2">site</a>').entities).toEqual([
      { type: "text_link", offset: 0, length: 4, url: "https://example.com/?a=1&b=2" },
    ]);
  });

  test("pre with code language", () => {
    expect(parseHtml('<pre><code class="language-ts">let x</code></pre>').entities).toEqual([
      { type: "pre", offset: 0, length: 5, language: "ts" },
    ]);
  });

  test("tag names ignore case", () => {
    expect(parseHtml("<B>x</B>").entities).toEqual([{ type: "bold", offset: 0, length: 1 }]);
  });

  test("escapes decode", () => {
    expect(parseHtml("&lt;tag&gt; &amp; &quot;q&quot; &#65;&#x42;").text).toBe('<tag> & "q" AB');
  });

  test("unknown entity stays literal", () => {
    expect(parseHtml("fish &chips; &nbsp; a & b").text).toBe("fish &chips; &nbsp; a & b");
  });

  test("bare > is accepted", () => {
    expect(parseHtml("a > b").text).toBe("a > b");
  });

  test("offsets count UTF-16 units", () => {
    expect(parseHtml("😀 <b>x</b>").entities).toEqual([{ type: "bold", offset: 3, length: 1 }]);
  });

  test("unescaped < is an unsupported tag", () => {
    expect(parseError("a < b")).toBe('Unsupported start tag "" at byte offset 2');
    expect(parseError("x <<b>")).toBe('Unsupported start tag "<b" at byte offset 2');
  });

  test("byte offset counts UTF-8 bytes", () => {
    expect(parseError("é <script>")).toBe('Unsupported start tag "script" at byte offset 3');
  });

  test("unclosed start tag", () => {
    expect(parseError("text <b")).toBe("Unclosed start tag at byte offset 5");
  });

  test("missing end tag", () => {
    expect(parseError("<b>open")).toBe('Can\'t find end tag corresponding to start tag "b"');
  });

  test("mismatched end tag", () => {
    expect(parseError("<b>x</i>")).toBe('Unmatched end tag at byte offset 4, expected "</b>", found "</i>"');
  });

  test("end tag without start", () => {
    expect(parseError("x</b>")).toBe("Unexpected end tag at byte offset 1");
  });

  test("span without spoiler class", () => {
    expect(parseError('<span class="x">y</span>')).toBe('Tag "span" must have class "tg-spoiler" at byte offset 0');
  });

  test("attribute without value", () => {
    expect(parseError("<a href>x</a>")).toBe(
      'Expected equal sign in declaration of an attribute of the tag "a" at byte offset 0',
    );
  });
});

describe("sendMessage text", () => {
  test("parse error carries prefix", async () => {
    const { call } = await start();
    const answer = await call("sendMessage", { chat_id: CHAT, text: "1 < 2", parse_mode: "HTML" });
    expect(answer).toEqual({
      status: 400,
      ok: false,
      error_code: 400,
      description: 'Bad Request: can\'t parse entities: Unsupported start tag "" at byte offset 2',
    });
  });

  test("without parse_mode tags stay text", async () => {
    const { call } = await start();
    const answer = await call("sendMessage", { chat_id: CHAT, text: "1 < 2 <b>" });
    expect(answer.result.text).toBe("1 < 2 <b>");
    expect(answer.result).not.toHaveProperty("entities");
  });

  test("empty text", async () => {
    const { call } = await start();
    for (const text of [undefined, "", "   \n "]) {
      expect((await call("sendMessage", { chat_id: CHAT, text })).description).toBe("Bad Request: message text is empty");
    }
  });

  test("empty after parsing", async () => {
    const { call } = await start();
    const answer = await call("sendMessage", { chat_id: CHAT, text: "<b> </b>", parse_mode: "HTML" });
    expect(answer.description).toBe("Bad Request: message text is empty");
  });

  test("length counted after parsing", async () => {
    const { call } = await start();
    const tags = `<b>${"a".repeat(4096)}</b>`;
    expect((await call("sendMessage", { chat_id: CHAT, text: tags, parse_mode: "HTML" })).ok).toBe(true);
    const escapes = "&amp;".repeat(4096);
    expect((await call("sendMessage", { chat_id: CHAT, text: escapes, parse_mode: "HTML" })).result.text).toHaveLength(4096);
  });

  test("too long by one unit", async () => {
    const { call } = await start();
    const answer = await call("sendMessage", { chat_id: CHAT, text: "a".repeat(4097) });
    expect(answer).toMatchObject({ error_code: 400, description: "Bad Request: message is too long" });
  });

  test("emoji count as two units", async () => {
    const { call } = await start();
    expect((await call("sendMessage", { chat_id: CHAT, text: "😀".repeat(2048) })).ok).toBe(true);
    const answer = await call("sendMessage", { chat_id: CHAT, text: `${"😀".repeat(2048)}a` });
    expect(answer.description).toBe("Bad Request: message is too long");
  });

  test("surrounding white space trimmed", async () => {
    const { call } = await start();
    const answer = await call("sendMessage", { chat_id: CHAT, text: "  <b>x</b>  ", parse_mode: "HTML" });
    expect(answer.result.text).toBe("x");
    expect(answer.result.entities).toEqual([{ type: "bold", offset: 0, length: 1 }]);
  });

  test("Markdown is rejected", async () => {
    const { call } = await start();
    const answer = await call("sendMessage", { chat_id: CHAT, text: "*x*", parse_mode: "MarkdownV2" });
    expect(answer.description).toBe("Bad Request: unsupported parse_mode");
  });
});
