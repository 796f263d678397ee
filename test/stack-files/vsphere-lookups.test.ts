import { describe, expect, it } from "vitest";
import { stackOfFile } from "../../lib/stack-files/file";
import { attributeLookup, isNotFound, missingByKey, missingInVcenter, portGroupLookup, siteLookup } from "../../lib/stack-files/vsphere-lookups";

/** What the vSphere provider 4.17.0 answered on the simulated vCenter (PULUMI_DEBUG_GRPC), and what it says when vCenter is not the problem. */
const PROVIDER = {
  network: "invoking vsphere:index/getNetwork:getNetwork: 1 error occurred:\n\t* Network campus-intrenal not found\n\n",
  datacenter: "invoking vsphere:index/getDatacenter:getDatacenter: 1 error occurred:\n\t* error fetching datacenter: datacenter 'campus-dcx' not found\n\n",
  cluster: "invoking vsphere:index/getComputeCluster:getComputeCluster: 1 error occurred:\n\t* error loading cluster: cluster 'cluster-1' not found\n\n",
  datastore: "invoking vsphere:index/getDatastore:getDatastore: 1 error occurred:\n\t* error fetching datastore: datastore 'datastore-1' not found\n\n",
  template: "invoking vsphere:index/getVirtualMachine:getVirtualMachine: 1 error occurred:\n\t* error fetching virtual machine: vm 'ubuntu-24.04' not found\n\n",
  attribute: "invoking vsphere:index/getCustomAttribute:getCustomAttribute: 1 error occurred:\n\t* key name not found\n\n",
};

const FILE = "stacks/Pulumi.campus-vsphere.yaml";

describe("a name vCenter does not have", () => {
  it("is told apart from vCenter refusing the sign-in or not answering", () => {
    for (const [what, error] of Object.entries(PROVIDER)) expect(isNotFound(error), what).toBe(true);
    expect(isNotFound("error setting up new vSphere SOAP client: ServerFaultCode: Cannot complete login due to an incorrect user name or password.")).toBe(false);
    expect(isNotFound('error setting up new vSphere SOAP client: Post "https://127.0.0.1:1/sdk": dial tcp 127.0.0.1:1: connect: connection refused')).toBe(false);
    // An address that is not a vCenter's SDK endpoint.
    expect(isNotFound('error setting up new vSphere SOAP client: Post "https://www.example.edu.cn/sdk": 404 Not Found')).toBe(false);
  });

  it("says which stack, which port group, where the stack file names it, and the two ways to fix it", () => {
    const line = missingInVcenter("campus-vsphere", FILE, { line: 20, column: 18 }, { ...portGroupLookup("networks", "internal", "campus-intrenal"), names: ["campus-intrenal"] });
    expect(line).toEqual({
      zh: '堆栈 campus-vsphere：vCenter 中没有端口组 "campus-intrenal"（stacks/Pulumi.campus-vsphere.yaml:20:18 server-filings:networks.internal.portGroup）。请在 vCenter 中创建该端口组，或在 stacks/Pulumi.campus-vsphere.yaml 中改正名称；若它已存在，请给部署账号（VSPHERE_USER）授予它的权限。未创建或修改任何资源。',
      en: 'Stack campus-vsphere: vCenter has no port group "campus-intrenal" (stacks/Pulumi.campus-vsphere.yaml:20:18 server-filings:networks.internal.portGroup). Create the port group in vCenter, or correct the name in stacks/Pulumi.campus-vsphere.yaml; if it exists, give the deploying account (VSPHERE_USER) access to it. Nothing was created or changed.',
    });
  });

  it("names the quarantine key for a quarantine port group and the site key for a site object", () => {
    const at = { line: 1, column: 1 };
    expect(missingInVcenter("s", FILE, at, { ...portGroupLookup("quarantine", "external", "q"), names: ["q"] }).en).toContain("server-filings:quarantine.external.portGroup");
    expect(missingInVcenter("s", FILE, at, { ...siteLookup("datastore", "d"), names: ["d"] }).zh).toContain('vCenter 中没有数据存储 "d"（stacks/Pulumi.campus-vsphere.yaml:1:1 server-filings:site.datastore）。请在 vCenter 中创建该数据存储');
    // A template is not created but put there (converted from a VM, imported).
    expect(missingInVcenter("s", FILE, at, { ...siteLookup("template", "t"), names: ["t"] }).en).toContain('vCenter has no template "t" (stacks/Pulumi.campus-vsphere.yaml:1:1 server-filings:site.template). Put that VM or template in vCenter, or correct the name');
  });

  it("for custom attributes a `lookup` stack needs, says that the managing stack deploys first", () => {
    const line = missingInVcenter("east", "stacks/Pulumi.east.yaml", { line: 4, column: 36 }, { ...attributeLookup("filing-id"), names: ["filing-id", "filing-period-end"] });
    expect(line.en).toBe(
      'Stack east: vCenter has no custom attribute "filing-id", "filing-period-end" (stacks/Pulumi.east.yaml:4:36 server-filings:customAttributes is lookup, which finds them by name). Deploy the stack that manages these attributes on the same vCenter (customAttributes manage, or not set) once first, then run this stack. Nothing was created or changed.',
    );
  });

  it("gathers the names under one key and orders the keys as the file does", () => {
    const at = (line: number) => ({ line, column: 3 });
    const grouped = missingByKey([
      { lookup: portGroupLookup("networks", "external", "dmz"), at: at(22) },
      { lookup: attributeLookup("filing-id"), at: at(4) },
      { lookup: siteLookup("cluster", "c"), at: at(13) },
      { lookup: attributeLookup("filing-exposure"), at: at(4) },
    ]);
    expect(grouped.map((g) => [g.at.line, g.missing.names])).toEqual([
      [4, ["filing-id", "filing-exposure"]],
      [13, ["c"]],
      [22, ["dmz"]],
    ]);
  });

  it("names the stack by its file", () => {
    expect(stackOfFile("stacks/Pulumi.campus-vsphere.yaml")).toBe("campus-vsphere");
    expect(stackOfFile("stacks/Pulumi.a.b.yml")).toBe("a.b");
    expect(stackOfFile("elsewhere.yaml")).toBe("elsewhere.yaml");
  });
});
