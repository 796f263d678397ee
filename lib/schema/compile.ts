import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { writeAtomically } from "../atomic-write";
import type Ajv from "ajv";
import type { ValidateFunction } from "ajv";

/**
 * Compiled schema validators, kept between processes as Ajv's standalone code.
 *
 * Loading Ajv and compiling the filing and config schemas was a fifth of `filing validate`'s time
 * on the sample register; loading the generated code takes a few milliseconds and does not load
 * Ajv's compiler at all. The cache is keyed by everything the code depends on (schema, options,
 * Ajv and ajv-formats versions), so a changed schema or an upgrade compiles afresh; an unreadable
 * or unwritable cache only means compiling as before.
 */

const OPTIONS = { allErrors: true, strict: true, messages: true } as const;
const FORMATS = ["date", "email", "ipv4"] as const;

// Required on first use, not imported: a cache hit must not pay for loading Ajv's compiler.
function newAjv(source: boolean): Ajv {
  const ajvModule = require("ajv") as typeof import("ajv");
  const addFormats = (require("ajv-formats") as typeof import("ajv-formats")).default;
  // With `source`, addFormats also tells the generated code to require its format checks.
  const instance = new ajvModule.default({ ...OPTIONS, ...(source ? { code: { source: true } } : {}) });
  addFormats(instance, [...FORMATS]);
  return instance;
}

let plain: Ajv | undefined;
let generating: Ajv | undefined;

/** One Ajv instance for in-memory compiling (field validators): it shares its cache. */
export function sharedAjv(): Ajv {
  return (plain ??= newAjv(false));
}

/** Where the standalone code goes: next to the Ajv that generated it, as tools' caches usually are. */
export function defaultCacheDir(): string {
  return path.join(path.dirname(require.resolve("ajv/package.json")), "..", ".cache", "server-filings", "schemas");
}

function cacheKey(schema: object): string {
  const versions = [require("ajv/package.json").version, require("ajv-formats/package.json").version] as string[];
  return crypto.createHash("sha256").update(JSON.stringify({ versions, OPTIONS, FORMATS, schema })).digest("hex").slice(0, 32);
}

/**
 * A validator for `schema`: from the cache in `cacheDir` when it holds one for this exact schema,
 * else compiled now and written there for the next process. `cacheDir` null: no cache.
 */
export function compileSchema(schema: object, cacheDir: string | null = defaultCacheDir()): ValidateFunction {
  if (cacheDir === null) return sharedAjv().compile(schema);
  const file = path.join(cacheDir, `${cacheKey(schema)}.js`);
  try {
    const cached = loadModule(fs.readFileSync(file, "utf8"));
    if (typeof cached.default === "function") return cached.default as ValidateFunction;
  } catch {
    // Missing or damaged: compile and overwrite.
  }
  generating ??= newAjv(true);
  const validate = generating.compile(schema);
  const standaloneCode = (require("ajv/dist/standalone") as typeof import("ajv/dist/standalone")).default;
  writeAtomically(file, standaloneCode(generating, validate));
  // Ajv refuses a second schema with the same $id; an unwritable cache compiles it on every call.
  generating.removeSchema(schema);
  return validate;
}

/**
 * Runs the generated CommonJS code with this module's `require`: its `require("ajv/dist/runtime/…")`
 * must resolve from the project, wherever the cache folder is, not from the cache file's place.
 */
function loadModule(code: string): { default?: unknown } {
  const module = { exports: {} as { default?: unknown } };
  new Function("require", "module", "exports", code)(require, module, module.exports);
  return module.exports;
}
