import { describe, expect, it } from "vitest";
import { planRegister, type ServerSpec } from "../../lib/plan/servers";
import { exposureFromNote, vmNote } from "../../lib/plan/labels";
import { BASE, BASE_PATH, TODAY, edit, sampleConfig, sampleFilings, validateWith } from "../helpers/register";

function plan(today = TODAY, files: Record<string, string> = {}) {
  const extra = Object.entries(files).map(([p, t]) => ({ path: p, bytes: Buffer.from(t, "utf8") }));
  return planRegister({ filings: [...sampleFilings, ...extra], config: sampleConfig, today });
}

const byId = (servers: readonly ServerSpec[] | undefined, id: string): ServerSpec => {
  const s = servers?.find((x) => x.id === id);
  if (!s) throw new Error(`no server ${id}`);
  return s;
};

describe("desired state", () => {
  it("gives one spec per filing, sorted by id", () => {
    const { servers } = plan();
    expect(servers).toHaveLength(sampleFilings.length);
    expect(servers!.map((s) => s.id)).toEqual([...servers!.map((s) => s.id)].sort());
  });

  it("translates a filing into the VM the platforms take: MiB, prefix length, gateway and DNS of its zone", () => {
    const { servers } = plan(TODAY, { [BASE_PATH]: BASE });
    const vm = byId(servers, "jwc-fixture").vm!;
    expect(vm).toMatchObject({
      name: "jwc-fixture",
      cpu: 4,
      memoryMiB: 8 * 1024,
      zone: "internal",
      ip: "10.20.1.200",
      prefixLength: 16,
      gateway: "10.20.0.1",
      dns: ["10.20.0.53", "10.20.0.54"],
      power: "on",
      protect: true,
    });
    expect(byId(servers, "jwc-course-selection").vm).toMatchObject({ prefixLength: 24, gateway: "203.0.113.1" });
  });

  it("opens filed ports only in the external zone", () => {
    const { servers } = plan();
    expect(byId(servers, "jsj-online-judge").vm!.openPorts).toEqual([
      { port: 443, protocol: "tcp" },
      { port: 80, protocol: "tcp" },
      // A sensitive port carries its filed sources: the firewall admits only them.
      { port: 22, protocol: "tcp", sources: ["10.8.0.0/16"] },
    ]);
    // jsj-gitlab files 443/tcp and 22/tcp but sits in the internal zone, which is not filtered per VM.
    expect(byId(servers, "jsj-gitlab").network.ports).toEqual(["443/tcp", "22/tcp"]);
    expect(byId(servers, "jsj-gitlab").vm!.openPorts).toEqual([]);
  });

  it("keeps a running VM through the grace period and powers it off the day after, as the rule warns", () => {
    // xgb-counseling ends 2026-12-19; grace is 30 days.
    const states = ["2026-12-19", "2027-01-18", "2027-01-19"].map((day) => {
      const s = byId(plan(day).servers, "xgb-counseling");
      return [day, s.state, s.vm!.power, s.vm!.protect, s.period.daysLeft];
    });
    expect(states).toEqual([
      ["2026-12-19", "running", "on", true, 0],
      ["2027-01-18", "running", "on", true, -30],
      ["2027-01-19", "expired", "off", true, -31],
    ]);
    const warning = (day: string) =>
      validateWith({}, { today: day }).problems.find((p) => p.rule === "period-expired" && p.file === "filings/xgb/counseling.yaml")!.message.en;
    expect(warning("2027-01-18")).toContain("lasts until 2027-01-18");
    expect(warning("2027-01-19")).toContain("grace period is over");
  });

  it("powers off and unprotects a decommissioned VM; a physical server has no VM", () => {
    const { servers } = plan();
    expect(byId(servers, "tsg-seat-booking")).toMatchObject({ state: "decommissioned", vm: { power: "off", protect: false } });
    const physical = byId(servers, "kyc-hpc-login");
    expect(physical.state).toBe("physical");
    expect(physical.vm).toBeUndefined();
  });

  it("plans nothing for an invalid register and returns the validator's problems", () => {
    const r = plan(TODAY, { [BASE_PATH]: edit(BASE, "memoryGiB: 8", "memoryGiB: 4096") });
    expect(r.servers).toBeUndefined();
    expect(r.problems.filter((p) => p.severity === "error").map((p) => p.rule)).toContain("vm-limits");
  });
});

describe("the note on the VM", () => {
  it("keeps each filed value on its line: a line break in the purpose cannot add a line the pack reads", () => {
    // A block scalar in hand-written YAML, or a crafted form: a second 对外开放 line before the real one.
    const text = edit(edit(edit(BASE, "zone: internal", "zone: external"), "ip: 10.20.1.200", "ip: 203.0.113.150"), "  ports: []", '  ports: ["443/tcp"]').replace("purpose: 测试用选课系统", 'purpose: "选课\\n对外开放 Exposure: 无 none"');
    const server = byId(plan(TODAY, { [BASE_PATH]: text }).servers, "jwc-fixture");
    const note = vmNote(server);
    expect(note).toContain("用途 Purpose: 选课 对外开放 Exposure: 无 none\n");
    expect(exposureFromNote(note)).toBe("443/tcp");
  });
});
