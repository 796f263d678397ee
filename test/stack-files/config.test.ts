import fs from "node:fs";
import path from "node:path";
import YAML from "yaml";
import { describe, expect, it } from "vitest";
import { checkStackConfig, missingConnection, missingPassphrase, PLATFORMS, PROJECT } from "../../lib/stack-files/config";
import { parseStackFile } from "../../lib/stack-files/file";
import { REPO } from "../helpers/register";
import { STACKS, stackInput } from "../helpers/stack";

const problemsOf = (stack: string, change: (t: string) => string) => checkStackConfig(stackInput(stack, change)).problems;

describe("stack config", () => {
  it.each(STACKS)("accepts the example stack %s", (stack) => {
    const r = checkStackConfig(stackInput(stack));
    expect(r.problems).toEqual([]);
    expect(r.config?.platform).toBe(stack.replace("campus-", ""));
  });

  it("matches Pulumi.yaml: project name, main in stacks/, stackConfigDir", () => {
    const project = YAML.parse(fs.readFileSync(path.join(REPO, "Pulumi.yaml"), "utf8"));
    expect(project.name).toBe(PROJECT);
    expect(project.runtime.name).toBe("nodejs");
    expect(project.stackConfigDir).toBe("stacks");
    expect(project.main.startsWith("stacks/")).toBe(true);
    expect(fs.existsSync(path.join(REPO, project.main))).toBe(true);
  });

  it("refuses a credential written in plain text, pointing at its line", () => {
    let lines = 0;
    const problems = problemsOf("campus-vsphere", (t) => {
      lines = t.split("\n").length;
      return `${t}  vsphere:password: hunter2\n`;
    });
    expect(problems).toHaveLength(1);
    // The line added at the end of the file.
    expect(problems[0]).toMatchObject({ rule: "stack-plain-credential", line: lines });
    expect(problems[0]!.message.zh).toContain("pulumi config set --secret vsphere:password");
  });

  it("accepts a credential stored as a Pulumi secret", () => {
    const problems = problemsOf("campus-proxmox", (t) => `${t}  proxmoxve:apiToken:\n    secure: v1:abc\n`);
    expect(problems).toEqual([]);
  });

  it("refuses a platform certificate check turned off, on its line, unless the platform is on this machine", () => {
    let lineOfSetting = 0;
    const off = (stack: string, setting: string, address?: [string, string]) =>
      problemsOf(stack, (t) => {
        const changed = t.replace(`${setting}: "false"`, `${setting}: "true"`) + (address ? `  ${address[0]}: "${address[1]}"\n` : "");
        lineOfSetting = changed.split("\n").findIndex((l) => l.includes(`${setting}: "true"`)) + 1;
        return changed;
      });
    // The example stacks check it; turned off with the address given elsewhere (the environment), it is refused.
    const vsphere = off("campus-vsphere", "vsphere:allowUnverifiedSsl");
    expect(vsphere).toMatchObject([{ rule: "stack-unverified-tls", line: lineOfSetting }]);
    expect(lineOfSetting).toBeGreaterThan(0);
    expect(vsphere[0]!.message.zh).toContain("CA 证书");
    expect(off("campus-vsphere", "vsphere:allowUnverifiedSsl", ["vsphere:vsphereServer", "vcenter.example.edu.cn"])).toMatchObject([{ rule: "stack-unverified-tls" }]);
    expect(off("campus-proxmox", "proxmoxve:insecure", ["proxmoxve:endpoint", "https://pve.example.edu.cn:8006/"])).toMatchObject([{ rule: "stack-unverified-tls", line: lineOfSetting }]);
    // The simulated vCenter listens on loopback: allowed there.
    expect(off("campus-vsphere", "vsphere:allowUnverifiedSsl", ["vsphere:vsphereServer", "127.0.0.1:8989"])).toEqual([]);
    expect(off("campus-proxmox", "proxmoxve:insecure", ["proxmoxve:endpoint", "https://localhost:8006/"])).toEqual([]);
  });

  it("lists the valid platforms when the platform is unknown or missing", () => {
    const unknown = problemsOf("campus-vsphere", (t) => t.replace("platform: vsphere", "platform: xen"));
    expect(unknown).toMatchObject([{ rule: "stack-platform", line: 6 }]);
    expect(unknown[0]!.message.en).toContain(PLATFORMS.join(", "));
    const missing = problemsOf("campus-vsphere", (t) => t.replace("  server-filings:platform: vsphere\n", ""));
    expect(missing[0]!.message.en).toContain("not set");
  });

  it("checks the site against the platform: a Proxmox key on a vSphere stack is unknown", () => {
    const problems = problemsOf("campus-vsphere", (t) => t.replace("    folder: filings\n", "    folder: filings\n    templateVmId: 9000\n"));
    expect(problems).toMatchObject([{ rule: "stack-unknown-field", line: 12 }]);
    expect(problems[0]!.message.zh).toContain("server-filings:site.templateVmId");
  });

  it("needs a network for both zones, with a VLAN in range", () => {
    const noExternal = problemsOf("campus-proxmox", (t) => t.replace(/    external:\n      bridge: vmbr1\n      vlanId: 300\n/, ""));
    expect(noExternal).toMatchObject([{ rule: "stack-required" }]);
    expect(noExternal[0]!.message.en).toContain("server-filings:networks.external");
    const vlan = problemsOf("campus-proxmox", (t) => t.replace("vlanId: 300", "vlanId: 5000"));
    expect(vlan).toMatchObject([{ rule: "stack-range", line: 17 }]);
  });
});

describe("vSphere quarantine", () => {
  it("is required: a vSphere stack names where an expired filing's VM is taken off the network", () => {
    const problems = problemsOf("campus-vsphere", (t) => t.replace(/  server-filings:quarantine:\n    internal:\n      portGroup: filings-quarantine-internal\n    external:\n      portGroup: filings-quarantine-external\n/, ""));
    expect(problems.map((p) => p.rule)).toEqual(["stack-required"]);
    expect(problems[0]!.message.zh).toContain("server-filings:quarantine");
  });

  it.each([
    ["both zones' quarantine on one port group", "filings-quarantine-external", "filings-quarantine-internal", "server-filings:quarantine.external is the same port group as server-filings:quarantine.internal (filings-quarantine-internal)"],
    ["a quarantine that is the zone's own network", "filings-quarantine-internal", "campus-internal", "server-filings:quarantine.internal is the same port group as server-filings:networks.internal (campus-internal)"],
  ])("refuses %s", (_name, from, to, says) => {
    const problems = problemsOf("campus-vsphere", (t) => t.replace(`portGroup: ${from}\n`, `portGroup: ${to}\n`));
    expect(problems.map((p) => p.rule)).toEqual(["stack-port-groups"]);
    expect(problems[0]!.message.en).toContain(says);
    expect(problems[0]!.message.zh).toContain("两个区域和两个隔离端口组必须各用一个端口组");
  });

  it("refuses both zones on one port group", () => {
    const problems = problemsOf("campus-vsphere", (t) => t.replace("portGroup: campus-dmz\n", "portGroup: campus-internal\n"));
    expect(problems.map((p) => [p.rule, p.message.en.split(" (")[0]])).toEqual([["stack-port-groups", "stacks/Pulumi.campus-vsphere.yaml: server-filings:networks.external is the same port group as server-filings:networks.internal"]]);
  });

  it("is one port group per zone: a single shared one (the earlier form) is refused on its line", () => {
    const problems = problemsOf("campus-vsphere", (t) => t.replace(/  server-filings:quarantine:\n    internal:\n      portGroup: filings-quarantine-internal\n    external:\n      portGroup: filings-quarantine-external\n/, "  server-filings:quarantine:\n    portGroup: filings-quarantine\n"));
    expect(problems.map((p) => [p.rule, p.message.en])).toEqual([
      ["stack-required", "Missing required field server-filings:quarantine.internal. Add it, e.g. internal: { portGroup: filings-quarantine-internal }."],
      ["stack-required", "Missing required field server-filings:quarantine.external. Add it, e.g. external: { portGroup: filings-quarantine-external }."],
      ["stack-unknown-field", "Unknown field server-filings:quarantine.portGroup. Allowed here: internal, external. Check the spelling or remove it."],
    ]);
  });
});

describe("what connecting to the platform needs (missingConnection)", () => {
  const vsphere = stackInput("campus-vsphere");
  const ENV = { VSPHERE_SERVER: "vcenter.example.edu.cn", VSPHERE_USER: "filings", VSPHERE_PASSWORD: "secret" };
  const missing = (values: Record<string, unknown>, env: Record<string, string | undefined>) => missingConnection(vsphere.file, "vsphere", values, env);

  it("nothing is missing when the environment has the vCenter's address, user and password", () => {
    expect(missing(vsphere.values, ENV)).toBeUndefined();
  });

  it("an empty password (a secret the workflow's environment lacks) is missing, and only it is named", () => {
    const m = missing(vsphere.values, { ...ENV, VSPHERE_PASSWORD: "" });
    expect(m?.en).toBe("Connecting to vCenter still needs VSPHERE_PASSWORD (the password). Set it in the environment (in the workflows, the production environment's secret of that name), or in stacks/Pulumi.campus-vsphere.yaml with pulumi config set vsphere:password <value> (--secret for the password).");
  });

  it("a setting in the stack file counts as well as its environment variable", () => {
    expect(missing({ ...vsphere.values, "vsphere:password": "secure:AAAA" }, { ...ENV, VSPHERE_PASSWORD: undefined })).toBeUndefined();
  });

  it("names every missing setting at once", () => {
    expect(missing(vsphere.values, {})?.zh).toMatch(/^连接 vCenter 还缺少：VSPHERE_SERVER（vCenter 地址）、VSPHERE_USER（用户名）、VSPHERE_PASSWORD（密码）。/);
  });

  it("leaves Proxmox to its provider, which signs in several ways", () => {
    expect(missingConnection("stacks/Pulumi.campus-proxmox.yaml", "proxmox", {}, {})).toBeUndefined();
  });
});

describe("the passphrase that guards a stack's secrets (missingPassphrase)", () => {
  const file = { file: "stacks/Pulumi.campus-vsphere.yaml" };

  it("is there when PULUMI_CONFIG_PASSPHRASE has a value", () => {
    expect(missingPassphrase(file, { PULUMI_CONFIG_PASSPHRASE: "correct horse" })).toBeUndefined();
  });

  it("is missing when empty, as GitHub passes a secret the environment lacks: Pulumi would take the empty string", () => {
    expect(missingPassphrase(file, { PULUMI_CONFIG_PASSPHRASE: "" })?.en).toMatch(/^PULUMI_CONFIG_PASSPHRASE is empty or not set: stacks\/Pulumi\.campus-vsphere\.yaml's secrets/);
  });

  it("may come from PULUMI_CONFIG_PASSPHRASE_FILE, but not beside an empty PULUMI_CONFIG_PASSPHRASE, which Pulumi reads first", () => {
    expect(missingPassphrase(file, { PULUMI_CONFIG_PASSPHRASE_FILE: "/run/secrets/passphrase" })).toBeUndefined();
    expect(missingPassphrase(file, { PULUMI_CONFIG_PASSPHRASE: "", PULUMI_CONFIG_PASSPHRASE_FILE: "/run/secrets/passphrase" })).toBeDefined();
  });

  it("is not asked for when the stack file names another secrets provider", () => {
    const parsed = parseStackFile({ path: file.file, bytes: Buffer.from("secretsprovider: awskms://alias/filings\nconfig:\n  server-filings:platform: vsphere\n") });
    expect(missingPassphrase(parsed.input!, {})).toBeUndefined();
    expect(missingPassphrase({ ...file, secretsProvider: "passphrase" }, {})).toBeDefined();
  });
});
