import fs from "node:fs";
import path from "node:path";
import semver from "semver";
import { describe, expect, it } from "vitest";
import { REPO } from "../helpers/register";

/**
 * The README's first command is `npm ci`, on whatever machine a department member has. npm can write
 * a lockfile that holds only the current platform's optional packages (npm/cli#4828); `npm ci` on
 * any machine then refuses it as "not in sync". These checks read the lockfile the way npm ci does,
 * without a network, so such a lockfile fails here before it reaches a user.
 */

interface LockEntry {
  version?: string;
  engines?: { node?: string } | string[];
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  link?: boolean;
}

interface Lockfile {
  lockfileVersion: number;
  packages: Record<string, LockEntry>;
}

const lock = JSON.parse(fs.readFileSync(path.join(REPO, "package-lock.json"), "utf8")) as Lockfile;
const manifest = JSON.parse(fs.readFileSync(path.join(REPO, "package.json"), "utf8")) as { engines: { node: string } };

/** Node's resolution inside the lockfile: the nearest node_modules/<name> walking up from `from`. */
function resolveIn(packages: Lockfile["packages"], from: string, name: string): string | undefined {
  let dir = from;
  for (;;) {
    const candidate = `${dir ? `${dir}/` : ""}node_modules/${name}`;
    if (packages[candidate]) return candidate;
    if (dir === "") return undefined;
    const cut = dir.lastIndexOf("/node_modules/");
    dir = cut < 0 ? "" : dir.slice(0, cut);
  }
}

/** Every optional dependency that some entry declares and the lockfile has no entry for. */
function missingOptional(packages: Lockfile["packages"]): string[] {
  const missing: string[] = [];
  for (const [at, entry] of Object.entries(packages)) {
    for (const [name, range] of Object.entries(entry.optionalDependencies ?? {})) {
      if (!resolveIn(packages, at, name)) missing.push(`${name}@${range} (for ${at || "the project"})`);
    }
  }
  return missing;
}

describe("package-lock.json", () => {
  it("is a v3 lockfile (npm 7 and later, as Node 20's npm)", () => {
    expect(lock.lockfileVersion).toBe(3);
  });

  it("records every platform's optional packages, so npm ci installs on Linux, macOS and Windows", () => {
    expect(missingOptional(lock.packages)).toEqual([]);
    // The packages that users' machines need by name: a regenerated lockfile must keep them.
    for (const platform of ["darwin-arm64", "darwin-x64", "win32-x64-msvc", "linux-x64-gnu"]) {
      expect(lock.packages[`node_modules/@rollup/rollup-${platform}`], platform).toBeDefined();
    }
  });

  it("catches the lockfile npm writes when it drops the other platforms' packages", () => {
    const trimmed = Object.fromEntries(Object.entries(lock.packages).filter(([p]) => !/@rollup\/rollup-(darwin|win32)/.test(p)));
    expect(missingOptional(trimmed).some((m) => m.startsWith("@rollup/rollup-darwin-arm64@"))).toBe(true);
  });

  it("holds no package whose engines refuse the oldest Node that package.json promises", () => {
    const oldest = semver.minVersion(manifest.engines.node)!.version;
    const refused = Object.entries(lock.packages)
      .filter(([, e]) => !Array.isArray(e.engines) && e.engines?.node && !semver.satisfies(oldest, e.engines.node))
      .map(([p, e]) => `${p}@${e.version} wants node ${(e.engines as { node: string }).node}`);
    expect(refused).toEqual([]);
  });
});
