import { describe, expect, it } from "vitest";
import filingSchema from "../../filings/filing.schema.json";
import departmentsSchema from "../../policies/schemas/departments.schema.json";
import limitsSchema from "../../policies/schemas/limits.schema.json";
import networksSchema from "../../policies/schemas/networks.schema.json";
import lettersSchema from "../../policies/schemas/letters.schema.json";
import approvalsSchema from "../../policies/schemas/approvals.schema.json";
import type { Approvals, Department, Letters, Limits, NetworkZone } from "../../lib/config/model";
import { FILING_KEYS, type Filing } from "../../lib/filings/model";

/** Keys of T that are not optional. */
type RequiredKeys<T> = { [K in keyof T]-?: object extends Pick<T, K> ? never : K }[keyof T];
/** Every key of T, each marked with whether the type requires it: the compiler checks the list is complete. */
type KeyTable<T> = { [K in keyof T]-?: K extends RequiredKeys<T> ? "required" : "optional" };

function fromSchema(node: { properties?: Record<string, unknown>; required?: string[] }): Record<string, string> {
  return Object.fromEntries(
    Object.keys(node.properties ?? {}).map((k) => [k, node.required?.includes(k) ? "required" : "optional"]),
  );
}

// Filing's own keys, with the compiler checking each entry against the hand-written type.
const filing: KeyTable<Filing> = {
  id: "required", department: "required", type: "required", purpose: "required", scope: "required",
  administrator: "required", period: "required", resources: "required", network: "required",
  operations: "required", commitments: "required", status: "required", remarks: "optional",
  maintenance: "optional", onlineSince: "optional", decommission: "optional",
};
const administrator: KeyTable<Filing["administrator"]> = { name: "required", title: "required", phone: "required", email: "required", account: "optional" };
const resources: KeyTable<Filing["resources"]> = { cpu: "required", memoryGiB: "required", disks: "required" };
const network: KeyTable<Filing["network"]> = { zone: "required", ip: "required", ports: "required", exposures: "optional" };
const decommission: KeyTable<NonNullable<Filing["decommission"]>> = { requestedAt: "required", backupTakenAt: "optional" };
const maintenance: KeyTable<NonNullable<Filing["maintenance"]>> = { vendor: "required", underWarranty: "required", technician: "required" };
const department: KeyTable<Department> = { slug: "required", name: "required", campus: "optional", roles: "required", members: "optional", quota: "required", securityGroup: "optional" };
const approvals: KeyTable<Approvals> = { holders: "required", required: "required", ordered: "required", allowOnePersonTwoRoles: "required", people: "optional" };
const required: KeyTable<Approvals["required"]> = {
  new: "required", increase: "required", decrease: "required", renewal: "required", metadata: "required",
  decommission: "required", delete: "required", protected: "required",
};
const limits: KeyTable<Limits> = {
  perVm: "required", forbiddenPorts: "required", sensitivePorts: "required", minLogRetentionDays: "required", maxPeriodMonths: "required",
  expiryGraceDays: "required", physicalFilingDeadlineDays: "required", securityGroupThreshold: "required",
};
const zone: KeyTable<NetworkZone> = { name: "required", subnet: "required", pool: "required", gateway: "required", dns: "required" };
const letters: KeyTable<Letters> = { current: "required", accepted: "required" };

const p = filingSchema.properties;
describe("hand-written types match the schemas", () => {
  it.each([
    ["Filing", filing, filingSchema],
    ["Filing.administrator", administrator, p.administrator],
    ["Filing.resources", resources, p.resources],
    ["Filing.network", network, p.network],
    ["Filing.decommission", decommission, p.decommission],
    ["Filing.maintenance", maintenance, p.maintenance],
    ["Department", department, departmentsSchema.properties.departments.items],
    ["Limits", limits, limitsSchema],
    ["NetworkZone", zone, networksSchema.definitions.zone],
    ["Letters", letters, lettersSchema],
    ["Approvals", approvals, approvalsSchema],
    ["Approvals.required", required, approvalsSchema.properties.required],
  ] as const)("%s", (_name, table, schemaNode) => {
    expect(table).toEqual(fromSchema(schemaNode as never));
  });

  it("writes filings in the schema's key order", () => {
    expect([...FILING_KEYS]).toEqual(Object.keys(p));
  });
});
