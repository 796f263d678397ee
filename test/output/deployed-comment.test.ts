import { describe, expect, it } from "vitest";
import { deployedComment } from "../../lib/output/deploy";

const row = (platformId: string, ip: string, zone = "internal", state = "running") => ({ platformId, ip, zone, state });

describe("the merged pull request's deployment comment", () => {
  it("lists the pull request's VMs of every stack, one table per stack that has any", () => {
    const body = deployedComment(
      [
        { stack: "campus-vsphere", servers: { "jwc-exam-scheduling": row("4213-aaaa", "10.20.1.10"), "xgb-counseling": row("4213-cccc", "10.20.1.13") } },
        { stack: "campus-proxmox", servers: { "hxy-instrument-booking": row("101", "203.0.113.40", "external") } },
        { stack: "campus-spare", servers: {} },
      ],
      ["jwc-exam-scheduling", "hxy-instrument-booking"],
    );
    expect(body).toContain("## 已部署 Deployed（campus-vsphere、campus-proxmox、campus-spare）");
    expect(body).toMatch(/### campus-vsphere\n\n\| 备案编号 Filing [^\n]*\n[^\n]*\n\| jwc-exam-scheduling \| 4213-aaaa \| 10\.20\.1\.10 \| 校内网 internal \| 在用 in use \|/);
    expect(body).toMatch(/### campus-proxmox\n\n[^\n]*\n[^\n]*\n\| hxy-instrument-booking \| 101 \| 203\.0\.113\.40 \| 外网 external \| 在用 in use \|/);
    // Not this pull request's filing, and a stack with none of them.
    expect(body).not.toContain("xgb-counseling");
    expect(body).not.toContain("### campus-spare");
  });

  it("says so when none of the pull request's filings has a VM in any stack", () => {
    const body = deployedComment([{ stack: "campus-vsphere", servers: { "jwc-exam-scheduling": row("4213-aaaa", "10.20.1.10") } }], ["kyc-hpc-login"]);
    expect(body).toContain("The filings of this PR have no VM (physical server or removed).");
  });
});
