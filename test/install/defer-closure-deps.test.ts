/**
 * scripts/defer-closure-deps.js: the processes that load Pulumi's SDK for the program and the pack
 * skip TypeScript's compiler and npm's arborist, which the SDK needs only to serialize functions; and
 * serializing a function still works, loading them then.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { finished } from "../helpers/process";
import { REPO } from "../helpers/register";

const DEFER = path.join(REPO, "scripts/defer-closure-deps.js");
const temps: string[] = [];
afterAll(() => temps.forEach((t) => fs.rmSync(t, { recursive: true, force: true })));

/** A `--require` module that prints, when its process exits, which of the two heavy modules it loaded. */
function reporter(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "filings-defer-"));
  temps.push(dir);
  const file = path.join(dir, "report.js");
  fs.writeFileSync(
    file,
    `process.on("exit", () => {
       const loaded = Object.keys(require.cache);
       process.stderr.write("\\nLOADED " + JSON.stringify({
         typescript: loaded.some((f) => /[\\\\/]typescript[\\\\/]lib[\\\\/]typescript\\.js$/.test(f)),
         arborist: loaded.some((f) => /[\\\\/]@npmcli[\\\\/]arborist[\\\\/]/.test(f)),
       }) + "\\n");
     });`,
  );
  return file;
}
const loadedOf = (stderr: string) => JSON.parse(/^LOADED (.*)$/m.exec(stderr)![1]!) as { typescript: boolean; arborist: boolean };

// Serializes a closure and lists the code paths of this project, the two uses of what is deferred.
const SERIALIZE = `
  const pulumi = require("@pulumi/pulumi");
  const { computeCodePaths } = require("@pulumi/pulumi/runtime/closure/codePaths");
  const factor = 3;
  Promise.all([pulumi.runtime.serializeFunction(async (n) => n * factor), computeCodePaths()]).then(([fn, paths]) => {
    process.stdout.write(JSON.stringify({ text: fn.text, paths: paths.size }));
  });`;

describe("Pulumi's function-serialization dependencies, loaded on first use", () => {
  // The bundle npm ci builds (npm test builds it first): through tsx, an edited clone's path, tsx's own
  // module interop reads every module's properties and so loads TypeScript after all.
  it("filing policy, which loads the SDK and the pack, loads neither TypeScript nor arborist", async () => {
    const report = reporter();
    const plain = await finished(process.execPath, ["--require", report, "-e", 'require("@pulumi/pulumi"); require("@pulumi/policy")'], { cwd: REPO });
    // The premise: without it the SDK loads both as it loads.
    expect(loadedOf(plain.stderr)).toEqual({ typescript: true, arborist: true });
    const r = await finished(process.execPath, ["--require", report, path.join(REPO, "scripts/filing.js"), "policy", "--stack", "campus-vsphere"], { cwd: REPO });
    expect(r.code, r.stderr).toBe(0);
    expect(loadedOf(r.stderr), "run through the bundle: npm test builds it first (npm run build)").toEqual({ typescript: false, arborist: false });
  });

  it("a serialized function and the code paths are the same with and without it", async () => {
    const report = reporter();
    const plain = await finished(process.execPath, ["--require", report, "-e", SERIALIZE], { cwd: REPO });
    const deferred = await finished(process.execPath, ["--require", DEFER, "--require", report, "-e", SERIALIZE], { cwd: REPO });
    expect(plain.code, plain.stderr).toBe(0);
    expect(deferred.code, deferred.stderr).toBe(0);
    expect(JSON.parse(deferred.stdout)).toEqual(JSON.parse(plain.stdout));
    expect(JSON.parse(plain.stdout).text).toContain("factor");
    expect(loadedOf(deferred.stderr)).toEqual({ typescript: true, arborist: true });
  });

  it("the pack's launcher starts the pack through it", () => {
    const launcher = fs.readFileSync(path.join(REPO, "policies/pulumi-analyzer-policy-filings"), "utf8");
    const required = /^exec node --require (\S+) \.$/m.exec(launcher)?.[1];
    expect(required && path.resolve(REPO, "policies", required)).toBe(DEFER);
  });
});
