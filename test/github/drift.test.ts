/**
 * `filing drift` with a stand-in for the Pulumi CLI (the real one cannot be built here, issue 7) that
 * prints a preview digest, and the GitHub-shaped server for the one drift issue.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { runCli } from "../helpers/cli";
import { REPO } from "../helpers/register";
import { REPOSITORY_ONLY, useFakeGitHub, type FakeGitHub } from "./fake-server";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "drift-"));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
const github = useFakeGitHub();

/** A `pulumi` stand-in: prints `stdout` and exits with `code`, whatever it is asked. */
function fakePulumi(stdout: string, code: number): string {
  const file = path.join(dir, `pulumi-${Math.random().toString(36).slice(2)}`);
  const out = path.join(`${file}.out`);
  fs.writeFileSync(out, stdout);
  fs.writeFileSync(file, `#!/bin/sh\ncat '${out}'\nexit ${code}\n`, { mode: 0o755 });
  return file;
}

const URN = "urn:pulumi:campus-proxmox::server-filings::server-filings:index:FilingServer$proxmoxve:index/vmLegacy:VmLegacy::jwc-exam-scheduling";
const vm = (memory: number, cores = 4) => ({ cpu: { cores }, memory: { dedicated: memory }, disks: [{ interface: "scsi0", size: 100 }], networkDevices: [{ bridge: "vmbr0", vlanId: 120 }], initialization: { ipConfigs: [{ ipv4: { address: "10.20.1.10/16" } }] } });
const drifted = JSON.stringify({ steps: [{ op: "same", urn: "urn:pulumi:x::server-filings::pulumi:pulumi:Stack::s" }, { op: "update", urn: URN, oldState: { outputs: vm(16384) }, newState: { inputs: vm(8192) } }] });
const clean = JSON.stringify({ steps: [{ op: "same", urn: URN }], changeSummary: { same: 1 } });
const authFailure = JSON.stringify({ diagnostics: [{ severity: "error", message: "error: 401 Unauthorized: vCenter refused the credentials" }] });

const server = () => github.start(REPOSITORY_ONLY);

const drift = (s: FakeGitHub, pulumi: string) =>
  runCli(["drift", "--repo", "campus/filings", "--stack", "campus-proxmox", "--root", REPO], {
    env: { GITHUB_TOKEN: "t", GITHUB_API_URL: s.url, PULUMI_COMMAND: pulumi },
    now: new Date("2026-11-23T02:00:00Z"),
  });

describe("filing drift", () => {
  it("names each difference in the filing's terms and keeps one issue across runs, closed when clean", async () => {
    const s = await server();
    const first = await drift(s, fakePulumi(drifted, 255));
    expect(first.code).toBe(1);
    expect(first.stdout).toContain("jwc-exam-scheduling：内存 8 GiB 已被改为 16 GiB");
    expect(s.issues).toHaveLength(1);
    expect(s.issues[0]!.labels).toEqual(["filing-drift"]);
    await drift(s, fakePulumi(drifted, 255));
    expect(s.issues).toHaveLength(1);
    const ok = await drift(s, fakePulumi(clean, 0));
    expect(ok.code).toBe(0);
    expect(s.issues[0]!.state).toBe("closed");
  });

  it("reports an authentication failure as such, never as drift, and touches no issue", async () => {
    const s = await server();
    const r = await drift(s, fakePulumi(authFailure, 255));
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("漂移检查没有完成（不是漂移）");
    expect(r.stderr).toContain("401 Unauthorized");
    expect(s.issues).toEqual([]);
    expect(s.requests).toEqual([]);
  });
});
