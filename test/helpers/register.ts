import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { readFilingFiles } from "../../lib/filings/read";
import { readConfigFiles } from "../../lib/config/read";
import type { Problem } from "../../lib/problems";
import { validateRegister, type RegisterResult } from "../../lib/validate";
import type { SourceFile } from "../../lib/yaml/strict";
import type { RegisterChange } from "../../lib/git/changes";

export const REPO = path.resolve(__dirname, "../..");
export const FIXTURES = path.join(REPO, "test/fixtures");
/** Rules judge dates against this day, so the tests do not age. */
export const TODAY = "2026-11-23";

export const sampleFilings: readonly SourceFile[] = readFilingFiles(REPO);
export const sampleConfig = readConfigFiles(REPO);

export function fixtureText(rel: string): string {
  return fs.readFileSync(path.join(FIXTURES, rel), "utf8");
}

export const BASE = fixtureText("filings/valid/fixture.yaml");
export const BASE_PATH = "filings/jwc/fixture.yaml";

/** Validates the sample register with `files` added (or replacing files of the same path). */
export function validateWith(files: Record<string, string | Uint8Array>, options: { today?: string; config?: Record<string, string>; change?: RegisterChange } = {}): RegisterResult {
  const extra = Object.entries(files).map(([p, content]) => ({
    path: p,
    bytes: typeof content === "string" ? Buffer.from(content, "utf8") : content,
  }));
  const filings = [...sampleFilings.filter((f) => !(f.path in files)), ...extra];
  const configFiles = new Map(sampleConfig.files);
  for (const [p, content] of Object.entries(options.config ?? {})) configFiles.set(p, { path: p, bytes: Buffer.from(content, "utf8") });
  return validateRegister({ filings, config: { files: configFiles }, today: options.today ?? TODAY, change: options.change });
}

export function problemsIn(result: RegisterResult, file: string): Problem[] {
  return result.problems.filter((p) => p.file === file);
}

/** Replaces exactly one occurrence of `from` (fails loudly if the base text changed under the test). */
export function edit(text: string, from: string, to: string): string {
  const at = text.indexOf(from);
  if (at < 0 || text.indexOf(from, at + 1) >= 0) throw new Error(`edit: "${from}" must occur exactly once`);
  return text.slice(0, at) + to + text.slice(at + from.length);
}

/** A temporary copy of the repository's register root (filings/ and policies/). */
export function tempRoot(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "filings-"));
  fs.cpSync(path.join(REPO, "filings"), path.join(dir, "filings"), { recursive: true });
  fs.cpSync(path.join(REPO, "policies"), path.join(dir, "policies"), { recursive: true });
  return dir;
}
