import * as pulumi from "@pulumi/pulumi";
import { expect, it } from "vitest";
import { record, resetRecord, settle } from "../../stacks/simulate";

it("the Pulumi entry reads the stack's config from Pulumi and the register from the repository", async () => {
  resetRecord();
  // As `pulumi config` hands them over: plain strings, structured values as JSON text.
  pulumi.runtime.setAllConfig({
    "server-filings:platform": "proxmox",
    "server-filings:site": JSON.stringify({ node: "pve-01", datastore: "local-lvm", templateVmId: 9000 }),
    "server-filings:networks": JSON.stringify({ internal: { bridge: "vmbr0" }, external: { bridge: "vmbr1", vlanId: 300 } }),
  });
  // Pulumi requires stacks/index.js and, the export being a function, awaits its result.
  const program = require("../../stacks/index.js") as () => Promise<{ servers: Record<string, unknown> }>;
  expect(typeof program).toBe("function");
  const { servers } = await program();
  expect(Object.keys(servers)).toContain("jwc-course-selection");
  await settle();
  const vm = record.resources.find((r) => r.type === "proxmoxve:index/vmLegacy:VmLegacy" && r.name === "jwc-course-selection");
  expect(vm?.inputs.networkDevices).toEqual([{ bridge: "vmbr1", vlanId: 300, firewall: true }]);
});
