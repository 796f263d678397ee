/**
 * The prebuilt `filing` bundle (scripts/bundle.js): used only while it is newer than every source,
 * and, built from the current sources, it answers exactly as the sources do through tsx.
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { REPO } from "../helpers/register";

const bundle = require("../../scripts/bundle.js") as {
  fresh(root: string): boolean;
  freshEntry(root: string, entry: "program" | "pack"): string | undefined;
  loadEntry(dir: string, entry: "program" | "pack", source: string): unknown;
  build(out: string): Promise<string>;
  partOf(out: string, part: string): string;
};

const temps: string[] = [];
afterAll(() => temps.forEach((t) => fs.rmSync(t, { recursive: true, force: true })));

/** An empty root and a way to put a file in it with a given modification time (seconds). */
function datedRoot(): { root: string; file: (rel: string, at: number) => void } {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "filings-bundle-"));
  temps.push(root);
  const file = (rel: string, at: number) => {
    fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    fs.writeFileSync(path.join(root, rel), "");
    fs.utimesSync(path.join(root, rel), at, at);
  };
  return { root, file };
}

describe("the filing bundle", () => {
  it("counts as fresh only while it is newer than every source file", () => {
    const { root, file } = datedRoot();
    file("lib/rules/network.ts", 1000);
    file("policies/limits.yaml", 1000);
    expect(bundle.fresh(root)).toBe(false); // no bundle yet
    file("scripts/filing.bundle.cjs", 2000);
    expect(bundle.fresh(root)).toBe(false); // the worker thread's and validate's bundles are missing
    file("scripts/filing-worker.bundle.cjs", 2000);
    file("scripts/filing-validate.bundle.cjs", 2000);
    expect(bundle.fresh(root)).toBe(true);
    file("policies/limits.yaml", 3000); // data read at run time, not bundled
    expect(bundle.fresh(root)).toBe(true);
    file("lib/rules/network.ts", 3000); // an edit after the build
    expect(bundle.fresh(root)).toBe(false);
  });

  it("the program's and the pack's bundles, which Pulumi starts, count as fresh by the same rule, each on its own", () => {
    const { root, file } = datedRoot();
    file("stacks/main.ts", 1000);
    file("policies/index.ts", 1000);
    expect(bundle.freshEntry(root, "program")).toBeUndefined();
    file("stacks/program.bundle.cjs", 2000);
    expect(bundle.freshEntry(root, "program")).toBe(path.join(root, "stacks/program.bundle.cjs"));
    expect(bundle.freshEntry(root, "pack")).toBeUndefined();
    file("policies/pack.bundle.cjs", 2000);
    expect(bundle.freshEntry(root, "pack")).toBe(path.join(root, "policies/pack.bundle.cjs"));
    file("stacks/Pulumi.campus-main.yaml", 3000); // a stack file is read at run time
    expect(bundle.freshEntry(root, "program")).toBeDefined();
    file("lib/rules/network.ts", 3000); // an edit after the build: both run through tsx again
    expect(bundle.freshEntry(root, "program")).toBeUndefined();
    expect(bundle.freshEntry(root, "pack")).toBeUndefined();
  });

  it("the repository's build includes them, and the entries Pulumi loads use them while fresh", () => {
    // npm ci built them (package.json "prepare"); the entries are what Pulumi.yaml and the pack name.
    for (const [entry, index] of [["program", "stacks/index.js"], ["pack", "policies/index.js"]] as const) {
      expect(bundle.freshEntry(REPO, entry), `${entry}: npm test builds it first (npm run build)`).toBeDefined();
      expect(fs.readFileSync(path.join(REPO, index), "utf8")).toContain(`loadEntry(__dirname, "${entry}", `);
    }
    const program = spawnSync(process.execPath, ["-e", `process.stdout.write(typeof require(${JSON.stringify(bundle.freshEntry(REPO, "program"))}))`], { cwd: REPO, encoding: "utf8" });
    expect(program.stdout).toBe("function");
  });

  it("built from the current sources, answers as the sources do through tsx", async () => {
    const out = path.join(REPO, "scripts", `filing.bundle.test-${process.pid}.cjs`);
    temps.push(out, bundle.partOf(out, "worker"), bundle.partOf(out, "validate"));
    await bundle.build(out);
    const viaBundle = (args: string[]) =>
      spawnSync(process.execPath, ["-e", `require(${JSON.stringify(out)}).run(${JSON.stringify(args)}).then((c) => { process.exitCode = c; })`], { cwd: REPO, encoding: "utf8", env: { ...process.env, CI: "true" } });
    const viaTsx = (args: string[]) =>
      spawnSync(process.execPath, ["--require", "tsx/cjs", "-e", `require("./scripts/cli/main.ts").run(${JSON.stringify(args)}).then((c) => { process.exitCode = c; })`], { cwd: REPO, encoding: "utf8", env: { ...process.env, CI: "true" } });
    // `filing validate` has a bundle of its own: it must answer as the whole command does.
    const viaValidateBundle = (args: string[]) =>
      spawnSync(process.execPath, ["-e", `require(${JSON.stringify(bundle.partOf(out, "validate"))}).run(${JSON.stringify(args)}).then((c) => { process.exitCode = c; })`], { cwd: REPO, encoding: "utf8", env: { ...process.env, CI: "true" } });
    for (const args of [["validate", "--format", "json"], ["validate", "--no-such-option"], ["validate", "--help"], ["validate", "--root", "/nonexistent", "--lang", "en"]]) {
      const a = viaValidateBundle(args);
      const b = viaTsx(args);
      expect({ args, status: a.status, stdout: a.stdout, stderr: a.stderr }).toEqual({ args, status: b.status, stdout: b.stdout, stderr: b.stderr });
    }
    for (const args of [["--version"], ["validate", "--format", "json"], ["validate", "--format", "json", "--no-cache", "--jobs", "2"], ["plan", "--format", "json"], ["report", "register", "--format", "csv"], ["validate", "--root", "/nonexistent"]]) {
      const a = viaBundle(args);
      const b = viaTsx(args);
      expect({ args, status: a.status, stdout: a.stdout, stderr: a.stderr }).toEqual({ args, status: b.status, stdout: b.stdout, stderr: b.stderr });
    }
  }, 120_000);
});
