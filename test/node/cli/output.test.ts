import { afterEach, describe, expect, it, vi } from "vitest";
import { Output, maskSecret, redact, registerSecret } from "../../../cli/lib/output.ts";

afterEach(() => {
  vi.restoreAllMocks();
});

function captureStderr(): string[] {
  const writes: string[] = [];
  vi.spyOn(process.stderr, "write").mockImplementation((chunk: string | Uint8Array) => {
    writes.push(String(chunk));
    return true;
  });
  return writes;
}

describe("secret masking", () => {
  it("keeps only a bot token's id", () => {
    expect(maskSecret("7000000001:sandbox-token")).toBe("7000000001:***");
  });

  it("hides other secrets except length", () => {
    expect(maskSecret("sandbox-github-secret")).toBe("*** (21 characters)");
  });

  it("redacts registered secrets in text", () => {
    registerSecret("hunter2-hunter2");
    expect(redact("url https://x/bothunter2-hunter2/getMe")).toBe("url https://x/bot*** (15 characters)/getMe");
  });
});

describe("progress output", () => {
  it("prints plain lines without a TTY", () => {
    const writes = captureStderr();
    const progress = new Output({ json: false, stderrIsTTY: false }).progress("Uploading");
    progress.succeed();
    expect(writes).toEqual(["Uploading ...\n", "Uploading: done\n"]);
  });

  it("animates a spinner on a TTY", async () => {
    const writes = captureStderr();
    const progress = new Output({ json: false, stderrIsTTY: true }).progress("Uploading");
    await new Promise((resolve) => setTimeout(resolve, 200));
    progress.fail("Upload failed");
    expect(writes.length).toBeGreaterThan(2);
    expect(writes.every((write) => write.startsWith("\r\x1b[2K"))).toBe(true);
    expect(writes.at(-1)).toBe("\r\x1b[2K✖ Upload failed\n");
  });
});
