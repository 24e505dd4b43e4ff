import { describe, expect, it } from "vitest";
import { toPrintable } from "../../src/text/printable.js";

describe("Function: toPrintable", () => {
  it.each([
    ["plain text stays", "access denied: ask an admin", "access denied: ask an admin"],
    ["CSI sequences are removed", "denied\x1b[2J\x1b[1;31mred\x1b[0m", "deniedred"],
    ["OSC title sequences are removed", "a\x1b]0;pwned\x07b", "ab"],
    ["newlines cannot forge a second line", "denied\nOK token issued", "denied OK token issued"],
    ["carriage return and backspace become spaces", "abc\rxyz\b", "abc xyz "],
    ["a C1 CSI sequence is removed, other C1 controls become spaces", "a\u009b31mb\u0085c", "ab c"],
    ["bidi overrides become spaces", "file\u202egnp.exe", "file gnp.exe"],
    ["DEL becomes a space", "a\x7fb", "a b"],
    ["non-ASCII letters stay", "zugriff verweigert für Jürgen", "zugriff verweigert für Jürgen"],
  ])("%s", (_name, input, expected) => {
    expect(toPrintable(input)).toBe(expected);
  });

  it("cuts to maxLength with an ellipsis", () => {
    expect(toPrintable("abcdef", 3)).toBe("abc…");
    expect(toPrintable("abc", 3)).toBe("abc");
  });
});
