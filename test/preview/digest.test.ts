/**
 * The engine's events as the gate and drift read them (lib/preview/digest.ts): what an unchanged VM
 * keeps of its refreshed state (its power, nothing else), and the power a refresh that writes nothing
 * read for the VMs a preview deletes. The event shapes are those the Automation API gave on the
 * simulated vCenter (test/e2e/engine-changes.test.ts runs them for real).
 */
import { describe, expect, it } from "vitest";
import { failedFilings, filingOfUrn, policyRefusals, previewDigest, providerError, refreshedPower, type EngineEventLike } from "../../lib/preview/digest";
import { FILING_COMPONENT, filingUrns, VM_TYPES } from "../../lib/compliance/tokens";

const urn = (type: string, name: string) => `urn:pulumi:sim::server-filings::${FILING_COMPONENT}$${type}::${name}`;
const VSPHERE = (name: string) => urn(VM_TYPES.vsphere, name);
const PROXMOX = (name: string) => urn(VM_TYPES.proxmox, name);
const pre = (op: string, u: string, type: string, old?: Record<string, unknown>, now?: Record<string, unknown>): EngineEventLike => ({
  resourcePreEvent: { metadata: { op, urn: u, type, ...(old ? { old: { inputs: { memory: 4096 }, outputs: old } } : {}), ...(now ? { new: { inputs: { memory: 4096 }, outputs: now } } : {}) } },
});
const done = (op: string, u: string, type: string, outputs?: Record<string, unknown>): EngineEventLike => ({
  resOutputsEvent: { metadata: { op, urn: u, type, old: { outputs: { powerState: "on" } }, ...(outputs ? { new: { outputs } } : {}) } },
});

describe("previewDigest", () => {
  it("keeps an unchanged VM's power alone, as the refresh read it, and only with states", () => {
    const events = [pre("same", VSPHERE("a"), VM_TYPES.vsphere, { powerState: "off", memory: 4096, annotation: "…" })];
    expect(previewDigest(events, {}, { states: true }).steps).toEqual([{ op: "same", urn: VSPHERE("a"), oldState: { outputs: { powerState: "off" } } }]);
    expect(previewDigest(events).steps).toEqual([{ op: "same", urn: VSPHERE("a"), oldState: {} }]);
    // A resource with no power output (a component) keeps nothing more.
    expect(previewDigest([pre("same", urn(FILING_COMPONENT, "a"), FILING_COMPONENT, { id: "a" })], {}, { states: true }).steps[0]!.oldState).toEqual({});
  });

  it("puts the platform's power on a VM's delete step, and only on a delete", () => {
    const power = new Map([[VSPHERE("a"), "on"], [VSPHERE("b"), "off"]]);
    const steps = previewDigest([pre("delete", VSPHERE("a"), VM_TYPES.vsphere, {}), pre("update", VSPHERE("b"), VM_TYPES.vsphere, {})], {}, { platformPower: power }).steps;
    expect(steps.map((s) => [s.op, s.platformPower])).toEqual([["delete", "on"], ["update", undefined]]);
  });
});

describe("refreshedPower", () => {
  it("reads each VM's power from what the refresh returned, not from the state before it", () => {
    const power = refreshedPower([
      pre("refresh", VSPHERE("a"), VM_TYPES.vsphere, { powerState: "on" }, { powerState: "on" }),
      done("same", VSPHERE("a"), VM_TYPES.vsphere, { powerState: "off" }),
      done("same", VSPHERE("b"), VM_TYPES.vsphere, { powerState: "suspended" }),
      done("same", PROXMOX("c"), VM_TYPES.proxmox, { started: false }),
      done("same", PROXMOX("d"), VM_TYPES.proxmox, { started: true }),
      done("delete", VSPHERE("e"), VM_TYPES.vsphere),
      done("same", VSPHERE("f"), VM_TYPES.vsphere, {}),
      done("same", VSPHERE("g"), VM_TYPES.vsphere),
      done("same", urn(FILING_COMPONENT, "h"), FILING_COMPONENT, {}),
    ]);
    expect(Object.fromEntries([...power].map(([u, p]) => [u.split("::").pop(), p]))).toEqual({ a: "off", b: "suspended", c: "off", d: "on", e: "gone", f: "unknown", g: "unknown" });
  });
});

describe("what an update could not deploy", () => {
  const diag = (u: string, message: string): EngineEventLike => ({ diagnosticEvent: { severity: "error", urn: u, message } });
  const failedOp = (u: string, type: string): EngineEventLike => ({ resOpFailedEvent: { metadata: { op: "create", urn: u, type } } });
  const policy = (resourceUrn: string | undefined, enforcementLevel: string, message = "CPU … are not above its filing.\njwc-a：vCPU 超出备案。"): EngineEventLike => ({
    policyEvent: { ...(resourceUrn ? { resourceUrn } : {}), message, policyName: "vm-within-filing", enforcementLevel },
  });
  const FIREWALL = urn(`${VM_TYPES.proxmox}$proxmoxve:firewall/optionsLegacy:OptionsLegacy`, "jwc-c-firewall");

  it("names each filing whose resource the provider failed once, with its first error as the provider said it", () => {
    expect(failedFilings([
      diag(VSPHERE("jwc-a"), "1 error occurred:\n\t* sdk-v2/provider2.go:572: sdk.helper_schema: error cloning virtual machine: *types.DuplicateName: provider=vsphere@4.17.0\n"),
      failedOp(VSPHERE("jwc-a"), VM_TYPES.vsphere),
      diag(VSPHERE("jwc-a"), "a second error"),
      failedOp(VSPHERE("jwc-a"), VM_TYPES.vsphere),
      failedOp(FIREWALL, "x"),
      // An error on a resource that failed nothing, and one of no filing, name nothing.
      diag(VSPHERE("jwc-b"), "a warning-like error"),
      failedOp("urn:pulumi:sim::server-filings::vsphere:index/customAttribute:CustomAttribute::filing-id", "x"),
    ])).toEqual([
      { id: "jwc-a", reason: "error cloning virtual machine: *types.DuplicateName" },
      { id: "jwc-c", reason: "" },
    ]);
  });

  it("policyRefusals: the filings mandatory policies refused, with what was found; a refusal of no filing is the whole stack's", () => {
    expect(policyRefusals([policy(VSPHERE("jwc-a"), "mandatory"), policy(VSPHERE("jwc-a"), "mandatory"), policy(VSPHERE("jwc-b"), "advisory")])).toEqual({
      filings: [{ id: "jwc-a", reason: "vm-within-filing：jwc-a：vCPU 超出备案。" }],
      whole: false,
    });
    expect(policyRefusals([policy(VSPHERE("jwc-a"), "mandatory"), policy(undefined, "mandatory")]).whole).toBe(true);
    expect(policyRefusals([policy("urn:pulumi:sim::server-filings::pulumi:pulumi:Stack::s", "mandatory")]).whole).toBe(true);
  });

  it("providerError keeps a plain message as it is", () => {
    expect(providerError("Cannot complete login due to an incorrect user name or password.")).toBe("Cannot complete login due to an incorrect user name or password.");
  });

  it("filingOfUrn and filingUrns agree on every resource the program makes for a filing", () => {
    for (const platform of ["vsphere", "proxmox"] as const) {
      const urns = filingUrns("sim", "server-filings", platform, "jwc-a");
      expect(urns).toHaveLength(platform === "proxmox" ? 4 : 2);
      expect(urns.map(filingOfUrn)).toEqual(urns.map(() => "jwc-a"));
    }
    expect(filingOfUrn(urn(`${VM_TYPES.proxmox}$proxmoxve:firewall/rulesLegacy:RulesLegacy`, "jwc-a-ports"))).toBe("jwc-a");
    expect(filingOfUrn(urn(`${VM_TYPES.proxmox}$proxmoxve:firewall/rulesLegacy:RulesLegacy`, "shared"))).toBeUndefined();
  });
});
