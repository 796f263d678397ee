/**
 * Install scripts are confined (issue 29, finding 4): with this repository's .npmrc and allowScripts,
 * a dependency's install script does not run on npm ci, and every workflow installs the same way.
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { parse } from "yaml";
import { afterAll, describe, expect, it } from "vitest";
import { REPO } from "../helpers/register";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "install-scripts-"));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** npm in `cwd`, offline (the dependency is a local tarball), free of the npm settings `npm test` passes down. */
function npm(cwd: string, args: string[]): { status: number | null; out: string } {
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^npm_/i.test(k)));
  const r = spawnSync("npm", [...args, "--offline", "--no-audit", "--no-fund"], { cwd, env: { ...env, npm_config_cache: path.join(dir, "cache") }, encoding: "utf8" });
  return { status: r.status, out: `${r.stdout}${r.stderr}` };
}

/** A project depending on a package whose postinstall writes `marker`, with or without our npm settings. */
function project(name: string, ours: boolean): { root: string; marker: string } {
  const root = path.join(dir, name);
  const dep = path.join(root, "dep");
  fs.mkdirSync(dep, { recursive: true });
  const marker = path.join(root, "postinstall-ran");
  fs.writeFileSync(path.join(dep, "package.json"), JSON.stringify({ name: "unlisted-dep", version: "1.0.0", scripts: { postinstall: `node -e "require('fs').writeFileSync(process.argv[1], 'ran')" ${marker}` } }));
  expect(npm(dep, ["pack"]).status).toBe(0);
  const pkg: Record<string, unknown> = { name: `app-${name}`, version: "1.0.0", private: true, dependencies: { "unlisted-dep": "file:dep/unlisted-dep-1.0.0.tgz" } };
  if (ours) {
    pkg.allowScripts = JSON.parse(fs.readFileSync(path.join(REPO, "package.json"), "utf8")).allowScripts;
    fs.copyFileSync(path.join(REPO, ".npmrc"), path.join(root, ".npmrc"));
  }
  fs.writeFileSync(path.join(root, "package.json"), JSON.stringify(pkg, null, 2));
  return { root, marker };
}

describe("install scripts", () => {
  it("of a dependency allowScripts does not name: not run by npm ci with this repository's settings", () => {
    const { root, marker } = project("ours", true);
    expect(npm(root, ["install"]).status).toBe(0);
    fs.rmSync(path.join(root, "node_modules"), { recursive: true, force: true });
    const ci = npm(root, ["ci"]);
    expect(ci.status, ci.out).toBe(0);
    expect(fs.existsSync(path.join(root, "node_modules/unlisted-dep/package.json"))).toBe(true);
    expect(fs.existsSync(marker)).toBe(false);
  });

  it("would run without them (npm only warns): the case above is the settings' doing", () => {
    const { root, marker } = project("plain", false);
    expect(npm(root, ["install"]).status).toBe(0);
    expect(fs.existsSync(marker)).toBe(true);
  });

  it("turned back on by hand still refuse a script allowScripts does not name at its version", () => {
    const { root, marker } = project("scripts-on", true);
    const r = npm(root, ["install", "--ignore-scripts=false"]);
    expect(r.status).not.toBe(0);
    expect(r.out).toContain("allowScripts");
    expect(fs.existsSync(marker)).toBe(false);
  });

  it("allowScripts names packages at the exact versions the lockfile holds", () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(REPO, "package.json"), "utf8"));
    const lock = JSON.parse(fs.readFileSync(path.join(REPO, "package-lock.json"), "utf8"));
    for (const key of Object.keys(pkg.allowScripts)) {
      const m = /^(@?[^@]+)@(\d+\.\d+\.\d+)$/.exec(key);
      expect(m, `${key}: name@version`).not.toBeNull();
      expect(lock.packages[`node_modules/${m![1]}`]?.version, key).toBe(m![2]);
    }
  });

  it("every workflow installs with npm ci and no install scripts", () => {
    const workflows = path.join(REPO, ".github/workflows");
    let installs = 0;
    for (const file of fs.readdirSync(workflows)) {
      const doc = parse(fs.readFileSync(path.join(workflows, file), "utf8")) as { jobs: Record<string, { steps?: { run?: string }[] }> };
      for (const step of Object.values(doc.jobs).flatMap((j) => j.steps ?? [])) {
        const run = step.run ?? "";
        for (const call of run.match(/\bnpm (?:ci|install|i|rebuild)\b[^\n&|;]*/g) ?? []) {
          installs++;
          expect(call, file).toMatch(/^npm ci --ignore-scripts\b/);
          expect(call, file).not.toMatch(/ignore-scripts=false|dangerously-allow-all-scripts/);
        }
      }
    }
    expect(installs).toBeGreaterThan(8);
  });
});
