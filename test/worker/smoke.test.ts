import { exports } from "cloudflare:workers";
import { it, expect } from "vitest";
it("reaches loopback", async () => {
  const r = await exports.default.fetch("http://x/probe");
  expect(await r.text()).toContain("getMe");
});
