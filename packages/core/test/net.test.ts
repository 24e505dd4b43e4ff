import { describe, expect, it } from "vitest";
import { isLoopbackHost } from "../src/net/loopback.js";

describe("Function: isLoopbackHost", () => {
  it.each(["localhost", "LOCALHOST", "127.0.0.1", "127.1.2.3", "[::1]", "::1"])("%s is loopback", (h) => {
    expect(isLoopbackHost(h)).toBe(true);
  });
  it.each([
    "localhost.example.com",
    "127.0.0.256",
    "128.0.0.1",
    "0.0.0.0",
    "[::]",
    "example.com",
    "127.0.0.1.nip.io",
  ])("%s is not", (h) => {
    expect(isLoopbackHost(h)).toBe(false);
  });
});
