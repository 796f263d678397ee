/**
 * Pulumi dynamic resources under the CLI built without a Node.js language host: the launcher in
 * scripts/bin serves @pulumi/pulumi's dynamic provider. The state-backend tests use such resources
 * so that they run wherever the CLI builds, without any platform's plugin.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { toolchain } from "../../scripts/simulator";
import { finished } from "../helpers/process";
import { REPO } from "../helpers/register";

const cli = toolchain({ build: false }).pulumiBin;
const temps: string[] = [];
afterAll(() => temps.forEach((t) => fs.rmSync(t, { recursive: true, force: true })));

// Plain JavaScript in its own process: a dynamic provider is serialized from its source text.
const PROGRAM = `
const path = require("path");
const [REPO, marker, kind] = process.argv.slice(2);
const pulumi = require(path.join(REPO, "node_modules/@pulumi/pulumi"));
const automation = require(path.join(REPO, "node_modules/@pulumi/pulumi/automation"));
const provider = {
  async create(inputs) { require("fs").writeFileSync(inputs.file, "made"); return { id: inputs.file, outs: inputs }; },
  async delete(id) { require("fs").rmSync(id, { force: true }); },
};
(async () => {
  const program = async () => { new pulumi.dynamic.Resource(provider, "marker", { file: marker }); };
  const stack = await automation.LocalWorkspace.createOrSelectStack({ stackName: "dyn", projectName: "dyn", program });
  if (kind === "up") await stack.up({ onOutput: (o) => process.stderr.write(o) });
  else await stack.destroy({ onOutput: (o) => process.stderr.write(o) });
})().catch((e) => { process.stderr.write(String(e.message)); process.exit(1); });
`;

function run(dir: string, kind: "up" | "destroy", launchers: boolean) {
  const env = {
    PATH: [...(launchers ? [path.join(REPO, "scripts/bin")] : []), cli!, path.dirname(process.execPath), "/usr/bin", "/bin"].join(path.delimiter),
    HOME: dir,
    // The inline program's workspace (an automation-* folder) goes with the test's folder, not /tmp.
    TMPDIR: dir,
    PULUMI_HOME: path.join(dir, ".pulumi"),
    PULUMI_BACKEND_URL: `file://${path.join(dir, "state")}`,
    PULUMI_CONFIG_PASSPHRASE: "dynamic",
    PULUMI_SKIP_UPDATE_CHECK: "true",
    PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
  };
  return finished(process.execPath, [path.join(dir, "program.js"), REPO, path.join(dir, "marker.txt"), kind], { cwd: dir, env });
}

describe.skipIf(!cli)(`dynamic resources under the real CLI${cli ? "" : " — skipped: the Pulumi CLI is not built: run bash scripts/toolchain.sh"}`, { timeout: 180_000 }, () => {
  it("the launcher in scripts/bin serves them: up creates, destroy deletes; without it on PATH the CLI says which plugin is missing", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "filings-dynamic-"));
    temps.push(dir);
    fs.mkdirSync(path.join(dir, "state"));
    fs.writeFileSync(path.join(dir, "program.js"), PROGRAM);
    const marker = path.join(dir, "marker.txt");

    const without = await run(dir, "up", false);
    expect(without.code).toBe(1);
    expect(without.stderr).toMatch(/pulumi-nodejs/);
    expect(fs.existsSync(marker)).toBe(false);

    const up = await run(dir, "up", true);
    expect(up.code, up.stderr).toBe(0);
    expect(fs.readFileSync(marker, "utf8")).toBe("made");
    const destroy = await run(dir, "destroy", true);
    expect(destroy.code, destroy.stderr).toBe(0);
    expect(fs.existsSync(marker)).toBe(false);
  });
});
