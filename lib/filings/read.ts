import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { ConfigurationError } from "../errors";
import { msg } from "../messages";
import { readSourceFile } from "../source-files";
import type { SourceFile } from "../yaml/strict";

/**
 * Files under filings/ that are filings or were meant to be (the schema lives there too and is not
 * one): a filing saved by Notepad as `name.yaml.txt`, or as `name.txt`, with Windows hiding the
 * extension, is read too, so that filing-location names it instead of the check passing without it.
 */
function isFilingFile(name: string): boolean {
  return /\.(ya?ml|txt)$/i.test(name);
}

/** Root-relative POSIX paths of the filing files below `<root>/filings`, sorted; symbolic links are not followed. */
export function filingPaths(root: string): string[] {
  const out: string[] = [];
  // Paths are built as they are walked: path.relative per file was a third of the walk at 10,000.
  const walk = (abs: string, rel: string): void => {
    for (const entry of fs.readdirSync(abs, { withFileTypes: true })) {
      if (entry.isDirectory()) walk(path.join(abs, entry.name), `${rel}/${entry.name}`);
      else if (entry.isFile() && isFilingFile(entry.name)) out.push(`${rel}/${entry.name}`);
    }
  };
  walk(path.join(root, "filings"), "filings");
  return out.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/** All filing files below `<root>/filings`, sorted by path; symbolic links are not followed. */
export function readFilingFiles(root: string): SourceFile[] {
  return filingPaths(root).map((rel) => readFilingFile(root, rel));
}

/**
 * What the register's files are now, without reading them: each filing's and config file's path, size
 * and modification time. A long-running reader (the desk) reads the register again only when it
 * changes: reading 10,000 filings takes seconds, stating them a few dozen milliseconds.
 */
export function registerFingerprint(root: string, configPaths: readonly string[]): string {
  const hash = crypto.createHash("sha1");
  for (const rel of [...filingPaths(root), ...configPaths]) {
    const stat = fs.statSync(path.join(root, rel), { throwIfNoEntry: false });
    hash.update(`${rel}\0${stat ? `${stat.size}:${stat.mtimeMs}` : "-"}\n`);
  }
  return hash.digest("hex");
}

/** One filing of the register by its root-relative path (a bounded prefix when it is too large). */
export function readFilingFile(root: string, rel: string): SourceFile {
  return readSourceFile(root, rel);
}

/** Checks that `root` is a register root: a folder holding filings/ and policies/. */
export function assertRegisterRoot(root: string): void {
  for (const sub of ["filings", "policies"]) {
    const dir = path.join(root, sub);
    if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) {
      throw new ConfigurationError(
        msg(
          `${root} 不是备案仓库根目录：缺少 ${sub}/ 目录。请在仓库根目录运行，或用 --root 指定包含 filings/ 和 policies/ 的目录。`,
          `${root} is not a register root: it has no ${sub}/ folder. Run from the repository root or pass --root pointing at a folder with filings/ and policies/.`,
        ),
      );
    }
  }
}
