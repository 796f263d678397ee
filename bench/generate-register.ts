/**
 * Writes a valid register root of N synthetic filings: `tsx bench/generate-register.ts --count N --out DIR`.
 * Its own policies/ scale with N (departments, quotas, pools) so that any N up to 50,000 validates.
 */
import fs from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import * as YAML from "yaml";
import { plusDays } from "../lib/filings/dates";
import { intToIpv4, ipv4ToInt } from "../lib/net/ip";

const REPO = path.resolve(__dirname, "..");
export const MAX_COUNT = 50_000;
const PER_DEPARTMENT = 20;

function department(i: number): string {
  return `d${i}`;
}

export function generateRegister(count: number, out: string): void {
  if (!Number.isInteger(count) || count < 1 || count > MAX_COUNT) throw new Error(`--count must be 1..${MAX_COUNT}`);
  fs.rmSync(out, { recursive: true, force: true });
  fs.mkdirSync(path.join(out, "filings"), { recursive: true });
  fs.cpSync(path.join(REPO, "policies"), path.join(out, "policies"), { recursive: true });
  fs.copyFileSync(path.join(REPO, "filings/filing.schema.json"), path.join(out, "filings/filing.schema.json"));
  const departments = Math.ceil(count / PER_DEPARTMENT);
  const departmentsYaml = {
    departments: Array.from({ length: departments }, (_, i) => ({
      slug: department(i),
      name: `测试部门${i}`,
      // Two campuses, as the example stacks split the register: each stack provisions half.
      campus: i % 2 === 0 ? "main" : "east",
      roles: { departmentHead: [`@head-${i}`], schoolLeader: ["@leader"] },
      // Who files for it (the desk bench signs in as d0-staff).
      members: [`@campus/${department(i)}-staff`],
      quota: { cpu: 100_000, memoryGiB: 1_000_000, diskGiB: 10_000_000 },
      securityGroup: { leader: "组长", networkAdmin: "网管", securityOfficer: "安全员" },
    })),
  };
  fs.writeFileSync(path.join(out, "policies/departments.yaml"), YAML.stringify(departmentsYaml));
  fs.writeFileSync(
    path.join(out, "policies/networks.yaml"),
    YAML.stringify({
      zones: {
        internal: { name: "校内网", subnet: "10.0.0.0/8", pool: [{ from: "10.1.0.1", to: "10.254.255.250" }], gateway: "10.0.0.1", dns: ["10.0.0.53"] },
        external: { name: "外网", subnet: "198.18.0.0/15", pool: [{ from: "198.18.0.10", to: "198.19.255.250" }], gateway: "198.18.0.1", dns: ["10.0.0.53"] },
      },
    }),
  );
  const internalBase = ipv4ToInt("10.1.0.1")!;
  const externalBase = ipv4ToInt("198.18.0.10")!;
  for (let i = 0; i < count; i++) {
    const dept = department(Math.floor(i / PER_DEPARTMENT));
    const name = `server-${i}`;
    const external = i % 10 === 0;
    const physical = i % 25 === 3;
    const filing: Record<string, unknown> = {
      id: `${dept}-${name}`,
      department: dept,
      type: physical ? "physical" : "virtual",
      purpose: `测试应用系统 ${i}`,
      scope: i % 3 === 0 ? "school" : "department",
      administrator: { name: "张三", title: "工程师", phone: "13800138000", email: `admin${i}@example.edu.cn` },
      // Start dates spread over a year, as a real register's are (all still running on 2026-11-23).
      period: { start: plusDays("2025-12-01", i % 357), months: 12 },
      resources: { cpu: 1 + (i % 8), memoryGiB: 2 * (1 + (i % 8)), disks: [{ sizeGiB: 50 }, ...(i % 4 === 0 ? [{ sizeGiB: 500 }] : [])] },
      network: external
        ? { zone: "external", ip: intToIpv4(externalBase + i), ports: ["443/tcp"] }
        : { zone: "internal", ip: intToIpv4(internalBase + i), ports: [] },
      operations: { backup: { daily: true, secondCopy: true }, logRetentionDays: 180 },
      commitments: { responsibilityLetter: "2026-1" },
      status: i % 50 === 7 ? "decommissioned" : "active",
      remarks: "",
    };
    if (physical) {
      filing.maintenance = { vendor: "某某公司", underWarranty: true, technician: { name: "李四", phone: "13900001111" } };
      filing.onlineSince = "2026-05-20";
    }
    if (filing.status === "decommissioned") filing.decommission = { requestedAt: "2026-10-01", backupTakenAt: "2026-10-02" };
    const dir = path.join(out, "filings", dept);
    if (i % PER_DEPARTMENT === 0) fs.mkdirSync(dir, { recursive: true });
    // Strings double-quoted so that YAML 1.1 readers (ajv-cli's js-yaml) see dates as strings too.
    const text = `# yaml-language-server: $schema=../filing.schema.json\n${YAML.stringify(filing, { defaultStringType: "QUOTE_DOUBLE", defaultKeyType: "PLAIN" })}`;
    fs.writeFileSync(path.join(dir, `${name}.yaml`), text);
  }
}

if (require.main === module) {
  const { values } = parseArgs({ options: { count: { type: "string" }, out: { type: "string" } } });
  if (!values.count || !values.out) {
    process.stderr.write("usage: tsx bench/generate-register.ts --count N --out DIR\n");
    process.exitCode = 2;
  } else {
    generateRegister(Number(values.count), path.resolve(values.out));
  }
}
