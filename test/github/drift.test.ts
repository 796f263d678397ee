/**
 * `filing drift`'s issue handling against the GitHub-shaped server, with the engine's look at the
 * platform given as the digest it returns (the real look, a refresh preview on the simulated vCenter,
 * is in test/e2e/engine-two-stacks.test.ts).
 */
import { describe, expect, it } from "vitest";
import type { DriftLook } from "../../scripts/cli/drift";
import { runCli } from "../helpers/cli";
import { REPO } from "../helpers/register";
import { REPOSITORY_ONLY, useFakeGitHub, type FakeGitHub } from "./fake-server";

const github = useFakeGitHub();

/** The look at the platform, as the engine would report it. */
const looking = (digest: unknown, failure?: string): DriftLook => async () => ({ digest, ...(failure === undefined ? {} : { failure }) });

const URN = "urn:pulumi:campus-proxmox::server-filings::server-filings:index:FilingServer$proxmoxve:index/vmLegacy:VmLegacy::jwc-exam-scheduling";
const vm = (memory: number, cores = 4) => ({ cpu: { cores }, memory: { dedicated: memory }, disks: [{ interface: "scsi0", size: 100 }], networkDevices: [{ bridge: "vmbr0", vlanId: 120 }], initialization: { ipConfigs: [{ ipv4: { address: "10.20.1.10/16" } }] } });
// With expectNoChanges, a preview that finds drift fails: the failure does not make it "not drift".
const drifted = looking({ steps: [{ op: "same", urn: "urn:pulumi:x::server-filings::pulumi:pulumi:Stack::s" }, { op: "update", urn: URN, oldState: { outputs: vm(16384) }, newState: { inputs: vm(8192) } }] }, "pulumi exited with 255");
const clean = looking({ steps: [{ op: "same", urn: URN }], changeSummary: { same: 1 } });
const authFailure = looking({ steps: [], diagnostics: [{ severity: "error", message: "error: 401 Unauthorized: vCenter refused the credentials" }] }, "pulumi exited with 255");

const server = () => github.start(REPOSITORY_ONLY);

const drift = (s: FakeGitHub, look: DriftLook) =>
  runCli(["drift", "--repo", "campus/filings", "--stack", "campus-proxmox", "--root", REPO], {
    env: { GITHUB_TOKEN: "t", GITHUB_API_URL: s.url },
    now: new Date("2026-11-23T02:00:00Z"),
    driftLook: look,
  });

describe("filing drift", () => {
  it("names each difference in the filing's terms and keeps one issue across runs, closed when clean", async () => {
    const s = await server();
    const first = await drift(s, drifted);
    expect(first.code).toBe(1);
    expect(first.stdout).toContain("jwc-exam-scheduling：内存 8 GiB 已被改为 16 GiB");
    expect(s.issues).toHaveLength(1);
    expect(s.issues[0]!.labels).toEqual(["filing-drift"]);
    await drift(s, drifted);
    expect(s.issues).toHaveLength(1);
    const ok = await drift(s, clean);
    expect(ok.code).toBe(0);
    expect(s.issues[0]!.state).toBe("closed");
  });

  it("reports an authentication failure as such, never as drift, and touches no issue", async () => {
    const s = await server();
    const r = await drift(s, authFailure);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("漂移检查没有完成（不是漂移）");
    expect(r.stderr).toContain("401 Unauthorized");
    expect(s.issues).toEqual([]);
    expect(s.requests).toEqual([]);
  });
});
