import Ajv from "ajv";
import addFormats from "ajv-formats";
import { describe, expect, it } from "vitest";
import * as YAML from "yaml";
import schema from "../../filings/filing.schema.json";
import { BASE, edit } from "../helpers/register";

/** The schema alone, as editors and ajv-cli see it (release-please style: instancePath per case). */
const ajv = new Ajv({ allErrors: true, strict: true });
addFormats(ajv);
const validate = ajv.compile(schema);

function errorsOf(text: string): string[] {
  validate(YAML.parse(text));
  return (validate.errors ?? []).map((e) => `${e.instancePath} ${e.keyword}`);
}

describe("filings/filing.schema.json", () => {
  it("accepts the base fixture", () => {
    expect(errorsOf(BASE)).toEqual([]);
  });

  it.each([
    ["id: jwc-fixture", "id: JWC-Fixture", "/id pattern"],
    ["type: virtual", "type: vm", "/type enum"],
    ["scope: school", "scope: campus", "/scope enum"],
    ['phone: "13800138000"', 'phone: "1380013800"', "/administrator/phone pattern"],
    ["months: 12", "months: 0", "/period/months minimum"],
    ["cpu: 4", 'cpu: "4"', "/resources/cpu type"],
    ["sizeGiB: 100", "sizeGiB: -1", "/resources/disks/0/sizeGiB minimum"],
    ["zone: internal", "zone: dmz", "/network/zone enum"],
    ["ports: []", 'ports: ["443/tcp", "443/tcp"]', "/network/ports uniqueItems"],
    ["logRetentionDays: 180", "logRetentionDays: 0", "/operations/logRetentionDays minimum"],
    ['responsibilityLetter: "2026-1"', "responsibilityLetter: latest", "/commitments/responsibilityLetter pattern"],
    ["status: active", "status: retired", "/status enum"],
    ["remarks: \"\"", "remarks: 1", "/remarks type"],
  ])("%s → %s fails at %s", (from, to, expected) => {
    expect(errorsOf(edit(BASE, from, to))).toContain(expected);
  });

  it("rejects unknown keys at every level", () => {
    expect(errorsOf(edit(BASE, "  cpu: 4\n", "  cpu: 4\n  gpu: 1\n"))).toContain("/resources additionalProperties");
    expect(errorsOf(`${BASE}extra: 1\n`)).toContain(" additionalProperties");
  });

  it("gives every property a Chinese title and description", () => {
    const missing: string[] = [];
    const walk = (node: Record<string, unknown>, where: string): void => {
      const props = node.properties as Record<string, Record<string, unknown>> | undefined;
      for (const [key, child] of Object.entries(props ?? {})) {
        const at = `${where}/${key}`;
        if (!/[\u4e00-\u9fff]/.test(String(child.title)) || !/[\u4e00-\u9fff]/.test(String(child.description))) missing.push(at);
        walk(child, at);
        if (child.items) walk(child.items as Record<string, unknown>, `${at}[]`);
      }
    };
    walk(schema as Record<string, unknown>, "");
    expect(missing).toEqual([]);
  });
});
