/**
 * `npm run demo`, the README's first command after `npm ci`, run as a newcomer would: the whole
 * process, with the toolchain already built (scripts/toolchain.sh in .ci/run).
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { readFilingFiles } from "../../lib/filings/read";
import { readConfigFiles } from "../../lib/config/read";
import { calendarDate } from "../../lib/filings/dates";
import { planRegister } from "../../lib/plan/servers";
import { hasVspherePlugin, MISSING_PLUGIN, toolchain } from "../../scripts/simulator";
import { finished } from "../helpers/process";
import { REPO } from "../helpers/register";

const tools = toolchain({ build: false });
const READY = tools.pulumiBin && tools.vcsim ? "" : "the toolchain is not built: run bash scripts/toolchain.sh";
const plugin = tools.pulumiBin ? hasVspherePlugin(tools.pulumiBin) : false;

const temps: string[] = [];
afterAll(() => temps.forEach((t) => fs.rmSync(t, { recursive: true, force: true })));

const demo = (env: NodeJS.ProcessEnv) => finished("npm", ["run", "--silent", "demo"], { cwd: REPO, env });

describe.skipIf(READY !== "")(`npm run demo${READY ? ` — skipped: ${READY}` : ""}`, { timeout: 480_000 }, () => {
  it.skipIf(!plugin)(`deploys the sample register on the simulated vCenter and prints what it holds — ${plugin ? "with" : "skipped: no"} vSphere plugin`, async () => {
    const r = await demo(process.env);
    expect(r.code, r.stderr).toBe(0);
    const servers = planRegister({ filings: readFilingFiles(REPO), config: readConfigFiles(REPO), today: calendarDate(new Date()) }).servers!;
    // A fresh stack creates no VM for a decommissioned filing.
    const vms = servers.filter((s) => s.vm && s.state !== "decommissioned");
    expect(r.stdout).toContain(`共 ${vms.length} 台虚拟机`);
    for (const s of vms) expect(r.stdout).toMatch(new RegExp(`│ ${s.id} +│ ${s.departmentName} +│ ${s.vm!.cpu} +│ ${s.vm!.memoryMiB / 1024} +│`));
    expect(r.stderr).toContain("demo: 4/4 从模拟 vCenter 读回的虚拟机");
  });

  it("without a vSphere plugin runs every stage it can, then ends with one line on what is missing and how to get it", async () => {
    const home = fs.mkdtempSync(path.join(os.tmpdir(), "filings-demo-home-"));
    temps.push(home);
    const r = await demo({ ...process.env, PULUMI_HOME: home });
    expect(r.code, r.stderr).toBe(0);
    // The pack ran under the real CLI on the physical servers.
    expect(r.stderr).toMatch(/✅ server-filings@v0\.1\.0/);
    expect(r.stderr.trim().split("\n").at(-1)).toBe(MISSING_PLUGIN.zh);
    expect(r.stdout).not.toContain("台虚拟机");
  });
});
