import { createHash } from "node:crypto";
import type { ConfigSources } from "../config/parse";
import type { InstitutionConfig } from "../config/model";
import type { Problem } from "../problems";
import type { Ownership } from "../stack-files/owns";
import { compileSchema } from "../schema/compile";
import type { FilingFacts } from "../filings/facts";
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
export const CACHE_FORMAT = 2;

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

/** The stack files' owners (lib/stack-files/read.ts stackOwnersOf) by a digest of those files. */
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
const NULLABLE_DATE = { type: ["string", "null"] };
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
/** A tuple of exactly these items. */
const tuple = (items: readonly object[]) => ({ type: "array", items, minItems: items.length, additionalItems: false });
/** FactsRow's items, in its order. */
const FACTS_ROW = tuple([
  { type: "string" },
  { type: "string" },
  { enum: ["virtual", "physical"] },
  { enum: ["active", "decommissioned"] },
  { enum: ["internal", "external"] },
  { type: "string" },
  { type: "number" },
  { type: "number" },
  { type: "number" },
  DATE,
  { type: "number" },
  { type: "boolean" },
  NULLABLE_DATE,
  { anyOf: [{ type: "null" }, tuple([NULLABLE_DATE, NULLABLE_DATE])] },
]);
const CACHE_SCHEMA = {
  $id: "server-filings/validation-cache-2",
  type: "object",
  required: ["config", "files"],
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
    // One row per file: [entry key, its problems, its facts or null].
    files: { type: "array", items: tuple([{ type: "string" }, PROBLEMS, { anyOf: [{ type: "null" }, FACTS_ROW] }]) },
  },
} as const;

/**
 * FilingFacts as a row, in the cache only: at 10,000 filings, rows instead of objects with named
 * fields halve the file, and a warm run spends its time reading it.
 */
type FactsRow = [
  id: string,
  department: string,
  type: FilingFacts["type"],
  status: FilingFacts["status"],
  zone: FilingFacts["zone"],
  ip: string,
  cpu: number,
  memoryGiB: number,
  diskGiB: number,
  start: string,
  months: number,
  maintenance: boolean,
  onlineSince: string | null,
  decommission: [requestedAt: string | null, backupTakenAt: string | null] | null,
];
type FileRow = [key: string, problems: readonly Problem[], facts: FactsRow | null];

function factsRow(f: FilingFacts): FactsRow {
  const d = f.decommission;
  return [f.id, f.department, f.type, f.status, f.zone, f.ip, f.cpu, f.memoryGiB, f.diskGiB, f.period.start, f.period.months, f.maintenance, f.onlineSince ?? null, d ? [d.requestedAt ?? null, d.backupTakenAt ?? null] : null];
}

function factsOfRow(r: FactsRow): FilingFacts {
  const [id, department, type, status, zone, ip, cpu, memoryGiB, diskGiB, start, months, maintenance, onlineSince, d] = r;
  // Assigned, not spread: this runs once per cached filing on every warm run.
  const facts: Mutable<FilingFacts> = { id, department, type, status, zone, ip, cpu, memoryGiB, diskGiB, period: { start, months }, maintenance };
  if (onlineSince !== null) facts.onlineSince = onlineSince;
  if (d !== null) {
    const decommission: Mutable<NonNullable<FilingFacts["decommission"]>> = {};
    if (d[0] !== null) decommission.requestedAt = d[0];
    if (d[1] !== null) decommission.backupTakenAt = d[1];
    facts.decommission = decommission;
  }
  return facts;
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

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

/**
 * A cache file's content, when it is one, undamaged, and made with `stamp`. Pure. The bytes are
 * taken as they are on disk: the digest is over them, and the payload is ASCII (encodeCache), which
 * V8 decodes in half the time of text with Chinese in it (9 vs 17 ms at 10,000 filings).
 */
export function decodeCache(bytes: Uint8Array, stamp: CacheStamp): { state: CacheState; content: CacheContent } {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const newline = buffer.indexOf(0x0a);
  let header: Partial<Header>;
  try {
    header = JSON.parse(buffer.toString("utf8", 0, newline < 0 ? buffer.length : newline)) as Partial<Header>;
  } catch {
    return { state: "damaged", content: EMPTY };
  }
  if (newline < 0 || typeof header !== "object" || header === null || header.format !== CACHE_FORMAT) return { state: "damaged", content: EMPTY };
  if (header.code !== stamp.code || header.config !== stamp.config) return { state: "stale", content: EMPTY };
  const payload = buffer.subarray(newline + 1);
  if (createHash("sha1").update(payload).digest("hex") !== header.sha1) return { state: "damaged", content: EMPTY };
  let data: unknown;
  try {
    data = JSON.parse(payload.toString("utf8"));
  } catch {
    return { state: "damaged", content: EMPTY };
  }
  if (!compileSchema(CACHE_SCHEMA)(data)) return { state: "damaged", content: EMPTY };
  const cache = data as { config: CachedConfig; files: FileRow[]; stacks?: CachedStacks };
  const entries = new Map<string, FileResult>();
  for (const [key, problems, facts] of cache.files) {
    // An entry speaks only of its own file.
    if (!problems.every((p) => key.endsWith(` ${p.file}`))) return { state: "damaged", content: EMPTY };
    entries.set(key, facts === null ? { problems } : { problems, facts: factsOfRow(facts) });
  }
  return { state: "ok", content: { config: cache.config, entries, ...(cache.stacks ? { stacks: cache.stacks } : {}) } };
}

export function encodeCache(stamp: CacheStamp, content: CacheContent): string {
  const files: FileRow[] = [];
  for (const [key, result] of content.entries) files.push([key, result.problems, result.facts ? factsRow(result.facts) : null]);
  // JSON's \u escapes keep the payload ASCII (see decodeCache).
  const payload = JSON.stringify({ config: content.config, files, ...(content.stacks ? { stacks: content.stacks } : {}) }).replace(/[\u0080-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
  const header: Header = { format: CACHE_FORMAT, code: stamp.code, config: stamp.config, sha1: createHash("sha1").update(payload).digest("hex") };
  return `${JSON.stringify(header)}\n${payload}`;
}
