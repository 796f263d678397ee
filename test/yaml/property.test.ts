import fc from "fast-check";
import { describe, expect, it } from "vitest";
import * as YAML from "yaml";
import { parseFiling } from "../../lib/filings/parse";
import { BASE, BASE_PATH, validateWith } from "../helpers/register";

/** The loader and the validator answer with problems, never with an exception. */
describe("never throws", () => {
  it("on arbitrary text", () => {
    fc.assert(
      fc.property(fc.string({ unit: "binary", maxLength: 400 }), (text) => {
        const result = parseFiling({ path: BASE_PATH, bytes: Buffer.from(text, "utf8") });
        expect(result.loaded !== undefined || result.problems.length > 0).toBe(true);
      }),
      { numRuns: 500 },
    );
  });

  it("on arbitrary bytes", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 400 }), (bytes) => {
        const result = parseFiling({ path: BASE_PATH, bytes });
        expect(result.loaded !== undefined || result.problems.length > 0).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it("on text made of YAML's own punctuation", () => {
    const token = fc.constantFrom("a", ":", " ", "\n", "-", "&x", "*x", "!t", "{", "}", "[", "]", "'", '"', "#", "|", ">", "%YAML 1.2", "---", "<<", "? ", "\t", "1", "__proto__");
    fc.assert(
      fc.property(fc.array(token, { maxLength: 60 }), (tokens) => {
        const result = parseFiling({ path: BASE_PATH, bytes: Buffer.from(tokens.join(""), "utf8") });
        expect(result.loaded !== undefined || result.problems.length > 0).toBe(true);
      }),
      { numRuns: 500 },
    );
  });

  it("on arbitrary objects written as YAML", () => {
    fc.assert(
      fc.property(fc.object({ maxDepth: 3 }), (value) => {
        const text = YAML.stringify(value);
        const result = validateWith({ [BASE_PATH]: text });
        expect(Array.isArray(result.problems)).toBe(true);
      }),
      { numRuns: 100 },
    );
  });

  it("on a valid filing with any one field replaced by anything", () => {
    const base = YAML.parse(BASE) as Record<string, unknown>;
    const paths: string[][] = [];
    const walk = (v: unknown, at: string[]): void => {
      if (at.length) paths.push(at);
      if (v && typeof v === "object") for (const [k, c] of Object.entries(v)) walk(c, [...at, k]);
    };
    walk(base, []);
    fc.assert(
      fc.property(fc.constantFrom(...paths), fc.jsonValue({ maxDepth: 2 }), (at, replacement) => {
        const copy = structuredClone(base);
        let node = copy as Record<string, unknown>;
        for (const k of at.slice(0, -1)) node = node[k] as Record<string, unknown>;
        node[at[at.length - 1]!] = replacement;
        const result = validateWith({ [BASE_PATH]: YAML.stringify(copy) });
        expect(Array.isArray(result.problems)).toBe(true);
      }),
      { numRuns: 300 },
    );
  });
});

it("never lets a prototype key reach an object", () => {
  const result = parseFiling({ path: BASE_PATH, bytes: Buffer.from(`${BASE}__proto__: { polluted: true }\n`) });
  expect(result.loaded).toBeUndefined();
  expect(({} as Record<string, unknown>).polluted).toBeUndefined();
});
