import fs from "node:fs";
import path from "node:path";
import { writeAtomically } from "../../lib/atomic-write";
import { configDigest, decodeCache, encodeCache, entryKey, gitBlobId, stacksDigest, type CacheContent, type CacheStamp, type CacheState, type CachedStacks } from "../../lib/cache/validation";
import { knownStackOwners, stackOwnersOf, type StackOwners } from "../../lib/stack-files/read";
import { knownConfig, type ConfigResult, type ConfigSources } from "../../lib/config/parse";
import { readFilingFile } from "../../lib/filings/read";
import type { WorkTree } from "../../lib/git/status";
import type { FileResult, KnownFile } from "../../lib/validate";
import { decodeSource, lazyLocator, type SourceFile } from "../../lib/yaml/strict";
import { codeVersion } from "./code-version";

/** Where `filing validate` keeps its cache unless told otherwise: inside the register root, git-ignored. */
export const DEFAULT_CACHE_FILE = ".cache/filing/validate.json";

/** A cache file as read: what it knows, ready to split a register with. */
export interface ValidationCache {
  /** What the cache file held: "missing" when there was none. */
  readonly state: CacheState | "missing";
  /** The config's result, when the cache holds it for these config files. */
  readonly configResult?: ConfigResult;
  /** The stacks' owners: from the cache when it holds them for these stack files, else parsed now. */
  stackOwners(files: readonly { name: string; source: SourceFile }[]): StackOwners;
  /**
   * The register split into what must be parsed and what the cache already knows. Content ids are
   * git's blob ids for committed, unchanged files (no hashing, no reading), the same hash of the
   * bytes for the others. Only files the cache does not know are read.
   */
  split(root: string, paths: readonly string[], tree: WorkTree | undefined): CachedRegister;
}

/** The register split into what must be parsed and what the cache already knows. */
export interface CachedRegister {
  /** Files the cache does not know, by path. */
  readonly missing: readonly string[];
  /** A missing file's bytes (those read to hash it, else read now). */
  read(rel: string): SourceFile;
  readonly known: readonly KnownFile[];
  /**
   * Stores the config's result and every current file's result (the known ones and `results`)
   * when anything changed. False when the file could not be written.
   */
  save(results: ReadonlyMap<string, FileResult>, configResult: ConfigResult): boolean;
}

/** Reads the cache at `cacheFile` for the register whose config files are `config`. */
export function openValidationCache(cacheFile: string, config: ConfigSources): ValidationCache {
  const stamp: CacheStamp = { code: codeVersion(), config: configDigest(config) };
  const { state, content } = readCacheFile(cacheFile, stamp);
  const entries = content.entries;
  const cachedConfig = state === "ok" ? content.config : undefined;
  const configResult: ConfigResult | undefined = cachedConfig && {
    problems: cachedConfig.problems,
    ...(cachedConfig.config ? { loaded: knownConfig(cachedConfig.config, config) } : {}),
  };
  let stacks: CachedStacks | undefined = state === "ok" ? content.stacks : undefined;
  let stacksChanged = false;
  return {
    state: state ?? "missing",
    configResult,
    stackOwners(files) {
      const digest = stacksDigest(files);
      if (stacks?.digest === digest) {
        return stacks.owners ? { owners: knownStackOwners(stacks.owners, files), problems: [...stacks.problems] } : { problems: [...stacks.problems] };
      }
      const read = stackOwnersOf(files);
      stacks = { digest, problems: read.problems, owners: read.owners ? read.owners.map((o) => ({ name: o.name, file: o.file, ...(o.owns ? { owns: o.owns } : {}) })) : null };
      stacksChanged = true;
      return read;
    },
    split(root, paths, tree) {
      const indexed = tree?.blobIds;
      const missing: string[] = [];
      const hashed = new Map<string, SourceFile>();
      const known: KnownFile[] = [];
      const keys = new Map<string, string>();
      for (const rel of paths) {
        let read: SourceFile | undefined;
        let id = indexed?.get(rel);
        if (id === undefined) {
          read = readFilingFile(root, rel);
          // A file above the size limit is judged by its size alone (the reader keeps a prefix).
          id = read.size !== undefined && read.size > read.bytes.byteLength ? `size:${read.size}` : gitBlobId(read.bytes);
        }
        const key = entryKey(rel, id);
        keys.set(rel, key);
        const result = entries.get(key);
        if (result) {
          known.push({ path: rel, result, source: locatorOnDemand(root, rel) });
        } else {
          missing.push(rel);
          if (read) hashed.set(rel, read);
        }
      }
      return {
        missing,
        read: (rel) => hashed.get(rel) ?? readFilingFile(root, rel),
        known,
        save(results, parsedConfig) {
          if (state === "ok" && missing.length === 0 && entries.size === known.length && !stacksChanged) return true;
          const next = new Map<string, FileResult>();
          for (const k of known) next.set(keys.get(k.path)!, k.result);
          for (const [rel, result] of results) {
            const key = keys.get(rel);
            // Some facts of a file the schema refused are unknown, which the cache's rows cannot say:
            // such a file (rare, and short-lived) is parsed again each run instead.
            if (key && !result.unknownFacts) next.set(key, result);
          }
          const configPart = { problems: parsedConfig.problems, ...(parsedConfig.loaded ? { config: parsedConfig.loaded.config } : {}) };
          return writeAtomically(cacheFile, encodeCache(stamp, { config: configPart, entries: next, ...(stacks ? { stacks } : {}) }));
        },
      };
    },
  };
}

function readCacheFile(file: string, stamp: CacheStamp): { state?: CacheState; content: CacheContent } {
  let bytes: Buffer;
  try {
    bytes = fs.readFileSync(file);
  } catch {
    return { content: { config: { problems: [] }, entries: new Map() } };
  }
  return decodeCache(bytes, stamp);
}

/**
 * Where a register rule points in a file the cache knows: the file is read and parsed only when a
 * rule reports on it. Its bytes are those the entry was made from unless the file changed since
 * this run began, which at worst moves a line number.
 */
export function locatorOnDemand(root: string, rel: string): KnownFile["source"] {
  return { locate: lazyLocator(() => decodeSource(readFilingFile(root, rel)).text) };
}

/** The cache file for a run: `--cache-file`, else the default inside the root; none with --no-cache. */
export function cacheFileFor(root: string, option: string | boolean | undefined, cwd: string): string | undefined {
  if (option === false) return undefined;
  return typeof option === "string" ? path.resolve(cwd, option) : path.join(root, DEFAULT_CACHE_FILE);
}
