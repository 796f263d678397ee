import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import schema from "../../filings/filing.schema.json";
import { compileSchema } from "../../lib/schema/compile";

/** A schema of its own per test: a cached module stays in require's cache for the worker's life. */
const portSchema = (max: number) => ({
  type: "object",
  properties: { port: { type: "integer", minimum: 1, maximum: max }, date: { type: "string", format: "date" } },
  required: ["port"],
  additionalProperties: false,
});

const errorsOf = (validate: ReturnType<typeof compileSchema>, value: unknown) => {
  validate(value);
  return (validate.errors ?? []).map((e) => `${e.instancePath} ${e.keyword} ${e.message}`);
};

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "schema-cache-"));
});
afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

describe("compileSchema", () => {
  it("writes the compiled filing schema once, and the cached code reports exactly what a fresh compile does", () => {
    const fresh = compileSchema(schema, null);
    const first = compileSchema(schema, dir);
    const files = fs.readdirSync(dir);
    expect(files).toHaveLength(1);
    const written = fs.statSync(path.join(dir, files[0]!));
    const cached = compileSchema(schema, dir);
    // Read back, not compiled and written again.
    expect(cached).not.toBe(first);
    expect(fs.statSync(path.join(dir, files[0]!)).ino).toBe(written.ino);
    const bad = { id: "JWC x", type: "vm", resources: { cpu: "4" }, extra: 1 };
    expect(errorsOf(cached, bad).length).toBeGreaterThan(3);
    expect(errorsOf(cached, bad)).toEqual(errorsOf(fresh, bad));
    expect(errorsOf(first, bad)).toEqual(errorsOf(fresh, bad));
  });

  it("keeps the formats in the cached code (a date that does not exist is refused)", () => {
    compileSchema(portSchema(100), dir);
    const cached = compileSchema(portSchema(100), dir);
    expect(errorsOf(cached, { port: 8, date: "2026-02-30" })).toEqual(['/date format must match format "date"']);
    expect(errorsOf(cached, { port: 8, date: "2026-02-28" })).toEqual([]);
  });

  it("compiles a changed schema afresh instead of reusing the old code", () => {
    compileSchema(portSchema(200), dir);
    const changed = compileSchema(portSchema(150), dir);
    expect(fs.readdirSync(dir)).toHaveLength(2);
    expect(errorsOf(changed, { port: 180 })).toEqual(["/port maximum must be <= 150"]);
  });

  it("replaces a damaged cache file and still validates", () => {
    compileSchema(portSchema(300), dir);
    const [file] = fs.readdirSync(dir);
    fs.writeFileSync(path.join(dir, file!), "module.exports = (");
    const validate = compileSchema(portSchema(300), dir);
    expect(errorsOf(validate, { port: 301 })).toEqual(["/port maximum must be <= 300"]);
    expect(fs.readFileSync(path.join(dir, file!), "utf8")).toContain("maximum");
  });

  it("validates when the cache cannot be written, leaving no temporary file behind", () => {
    const blocked = path.join(dir, "not-a-folder");
    fs.writeFileSync(blocked, "");
    const validate = compileSchema(portSchema(400), path.join(blocked, "schemas"));
    expect(errorsOf(validate, { port: 401 })).toEqual(["/port maximum must be <= 400"]);
    // Compiled again on each call, which must not trip over a schema's own $id.
    const withId = () => ({ $id: "https://example.invalid/port.json", ...portSchema(500) });
    for (let i = 0; i < 2; i++) expect(errorsOf(compileSchema(withId(), path.join(blocked, "schemas")), { port: 501 })).toHaveLength(1);
    expect(fs.readdirSync(dir)).toEqual(["not-a-folder"]);
  });
});
