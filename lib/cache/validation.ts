import { createHash } from "node:crypto";
import type { ConfigSources } from "../config/parse";
import type { InstitutionConfig } from "../config/model";
import type { Problem } from "../problems";
import type { Ownership } from "../stack/owns";
import { compileSchema } from "../schema/compile";
import type { FileResult } from "../validate";

/**
 * The validation cache: each filing's own result (its problems and facts, lib/validate.ts
 * FileResult) by path and content id, so that a warm `filing validate` parses only new or changed
 * files, and the config's own result, so that it parses no config file either. It is data, never
 * code. A header line stamps it (format, code, config) and carries a digest of the rest: a damaged
 * file (cut short, altered) fails the digest or CACHE_SCHEMA, and anything but a match counts as
 * empty and is rewritten.
 */

/** Bumped when the file's layout changes; the code and config stamps cover everything else. */
export const CACHE_FORMAT = 1;

/** What every entry was computed with. An entry is valid only under the same code and config. */
export interface CacheStamp {
  /** A digest of the sources the command runs (scripts/bundle.js sourceDigest): rules, schema, parser. */
  readonly code: string;
  /** configDigest of the institution config the filing rules read. */
  readonly config: string;
}

export type CacheEntries = ReadonlyMap<string, FileResult>;

/** parseConfig's result in JSON: the checked config, or the problems that prevent it. */
export interface CachedConfig {
  readonly problems: readonly Problem[];
  readonly config?: InstitutionConfig;
}

/** The stack files' owners (lib/stack/read.ts stackOwnersOf) by a digest of those files. */
export interface CachedStacks {
  readonly digest: string;
  readonly problems: readonly Problem[];
  /** Null when a stack file is broken. */
  readonly owners: readonly { readonly name: string; readonly file: string; readonly owns?: Ownership }[] | null;
}

export interface CacheContent {
  readonly config: CachedConfig;
  readonly entries: CacheEntries;
  readonly stacks?: CachedStacks;
}

/** A digest of the stack files (names and bytes). */
export function stacksDigest(files: readonly { name: string; source: { bytes: Uint8Array } }[]): string {
  const hash = createHash("sha1");
  for (const f of files) hash.update(`${f.name}\0${f.source.bytes.byteLength}\0`).update(f.source.bytes);
  return hash.digest("hex");
}

/** Git's object id for a file's bytes: what `git ls-files -s` reports for a committed, unchanged file. */
export function gitBlobId(bytes: Uint8Array): string {
  return createHash("sha1").update(`blob ${bytes.byteLength}\0`).update(bytes).digest("hex");
}

/** A file's entry key: the same bytes at another path are another filing (the path is checked too). */
export function entryKey(path: string, contentId: string): string {
  return `${contentId} ${path}`;
}

export function configDigest(config: ConfigSources): string {
  const hash = createHash("sha1");
  for (const [path, file] of [...config.files].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    hash.update(`${path}\0${file.size ?? file.bytes.byteLength}\0`).update(file.bytes);
  }
  return hash.digest("hex");
}

const MESSAGE = { type: "object", required: ["zh", "en"], additionalProperties: false, properties: { zh: { type: "string" }, en: { type: "string" } } };
const DATE = { type: "string" };
const PROBLEMS = {
  type: "array",
  items: {
    type: "object",
    required: ["file", "line", "column", "rule", "severity", "message"],
    additionalProperties: false,
    properties: {
      file: { type: "string" },
      line: { type: "integer", minimum: 1 },
      column: { type: "integer", minimum: 1 },
      rule: { type: "string" },
      severity: { enum: ["error", "warning"] },
      message: MESSAGE,
    },
  },
};
const CACHE_SCHEMA = {
  $id: "server-filings/validation-cache",
  type: "object",
  required: ["config", "entries"],
  additionalProperties: false,
  properties: {
    stacks: {
      type: "object",
      required: ["digest", "problems", "owners"],
      additionalProperties: false,
      properties: {
        digest: { type: "string" },
        problems: PROBLEMS,
        owners: {
          type: ["array", "null"],
          items: {
            type: "object",
            required: ["name", "file"],
            additionalProperties: false,
            // What a stack owns passed the stack schema when it was cached; the digest says it is the same file.
            properties: { name: { type: "string" }, file: { type: "string" }, owns: { type: "object" } },
          },
        },
      },
    },
    config: {
      type: "object",
      required: ["problems"],
      additionalProperties: false,
      // The config itself passed its schemas when it was cached; the stamp says it is the same files.
      properties: { problems: PROBLEMS, config: { type: "object" } },
    },
    entries: {
      type: "object",
      additionalProperties: {
        type: "object",
        required: ["problems"],
        additionalProperties: false,
        properties: {
          problems: PROBLEMS,
          facts: {
            type: "object",
            required: ["id", "department", "type", "status", "zone", "ip", "cpu", "memoryGiB", "diskGiB", "period", "maintenance"],
            additionalProperties: false,
            properties: {
              id: { type: "string" },
              department: { type: "string" },
              type: { enum: ["virtual", "physical"] },
              status: { enum: ["active", "decommissioned"] },
              zone: { enum: ["internal", "external"] },
              ip: { type: "string" },
              cpu: { type: "number" },
              memoryGiB: { type: "number" },
              diskGiB: { type: "number" },
              period: { type: "object", required: ["start", "months"], additionalProperties: false, properties: { start: DATE, months: { type: "number" } } },
              maintenance: { type: "boolean" },
              onlineSince: DATE,
              decommission: { type: "object", additionalProperties: false, properties: { requestedAt: DATE, backupTakenAt: DATE } },
            },
          },
        },
      },
    },
  },
} as const;

export type CacheState =
  /** Read, and stamped with this code and config. */
  | "ok"
  /** Readable, but made by other code or another config: every entry is out of date. */
  | "stale"
  /** Not JSON, or not the cache's shape: ignored and rewritten. */
  | "damaged";

interface Header {
  readonly format: number;
  readonly code: string;
  readonly config: string;
  readonly sha1: string;
}

const EMPTY: CacheContent = { config: { problems: [] }, entries: new Map() };

/** A cache file's content, when it is one, undamaged, and made with `stamp`. Pure. */
export function decodeCache(text: string, stamp: CacheStamp): { state: CacheState; content: CacheContent } {
  const newline = text.indexOf("\n");
  let header: Partial<Header>;
  try {
    header = JSON.parse(newline < 0 ? text : text.slice(0, newline)) as Partial<Header>;
  } catch {
    return { state: "damaged", content: EMPTY };
  }
  if (newline < 0 || typeof header !== "object" || header === null || header.format !== CACHE_FORMAT) return { state: "damaged", content: EMPTY };
  if (header.code !== stamp.code || header.config !== stamp.config) return { state: "stale", content: EMPTY };
  const payload = text.slice(newline + 1);
  if (createHash("sha1").update(payload).digest("hex") !== header.sha1) return { state: "damaged", content: EMPTY };
  let data: unknown;
  try {
    data = JSON.parse(payload);
  } catch {
    return { state: "damaged", content: EMPTY };
  }
  if (!compileSchema(CACHE_SCHEMA)(data)) return { state: "damaged", content: EMPTY };
  const cache = data as { config: CachedConfig; entries: Record<string, FileResult>; stacks?: CachedStacks };
  const entries = Object.entries(cache.entries);
  // An entry speaks only of its own file.
  const own = entries.every(([key, result]) => result.problems.every((p) => key.endsWith(` ${p.file}`)));
  return own ? { state: "ok", content: { config: cache.config, entries: new Map(entries), ...(cache.stacks ? { stacks: cache.stacks } : {}) } } : { state: "damaged", content: EMPTY };
}

export function encodeCache(stamp: CacheStamp, content: CacheContent): string {
  const payload = JSON.stringify({ config: content.config, entries: Object.fromEntries(content.entries), ...(content.stacks ? { stacks: content.stacks } : {}) });
  const header: Header = { format: CACHE_FORMAT, code: stamp.code, config: stamp.config, sha1: createHash("sha1").update(payload).digest("hex") };
  return `${JSON.stringify(header)}\n${payload}`;
}
