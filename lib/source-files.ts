import fs from "node:fs";
import path from "node:path";
import { MAX_FILE_BYTES, type SourceFile } from "./yaml/strict";

/**
 * Reading a register's files (filings, the institution config, stack files) for the loader
 * (lib/yaml/strict.ts): at most MAX_FILE_BYTES + 1 bytes each, enough to tell "too large" without
 * loading a huge file that a pull request may have added.
 */

/** A file by its root-relative path; throws when it cannot be read. */
export function readSourceFile(root: string, rel: string): SourceFile {
  const abs = path.join(root, rel);
  const size = fs.statSync(abs).size;
  return { path: rel, bytes: readBounded(abs, size), size };
}

/** A file by its root-relative path when it is a regular file, else undefined. */
export function readSourceFileIfPresent(root: string, rel: string): SourceFile | undefined {
  const abs = path.join(root, rel);
  const stat = fs.statSync(abs, { throwIfNoEntry: false });
  return stat?.isFile() ? { path: rel, bytes: readBounded(abs, stat.size), size: stat.size } : undefined;
}

function readBounded(abs: string, size: number): Uint8Array {
  if (size <= MAX_FILE_BYTES) return fs.readFileSync(abs);
  const fd = fs.openSync(abs, "r");
  try {
    const buf = Buffer.alloc(MAX_FILE_BYTES + 1);
    const n = fs.readSync(fd, buf, 0, buf.length, 0);
    return buf.subarray(0, n);
  } finally {
    fs.closeSync(fd);
  }
}
