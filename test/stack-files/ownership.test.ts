/**
 * Which stack provisions which filing (server-filings:owns, lib/stack-files/owns.ts): every virtual
 * filing belongs to exactly one stack; `filing validate` and `filing plan` refuse a register where
 * one belongs to none or to two; each stack's program and pack see only the filings it owns.
 */
import fs from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { runBin } from "../helpers/cli";
import { check, packConfig, programResources, sampleRegister } from "../helpers/policy";
import { REPO, TODAY, edit, tempRoot } from "../helpers/register";
import { stackInput } from "../helpers/stack";
import { simulateProgram } from "../../stacks/simulate";
import { readStackFiles, readStackOwners, stackOwnersOf } from "../../lib/stack-files/read";
import { readFilingFiles } from "../../lib/filings/read";
import { readConfigFiles } from "../../lib/config/read";
import { validateRegister } from "../../lib/validate";
import { sortProblems } from "../../lib/problems";

const roots: string[] = [];
afterAll(() => roots.forEach((r) => fs.rmSync(r, { recursive: true, force: true })));

/** A copy of the sample register with the example stacks, changed by `change`. */
function withStacks(change: (root: string) => void = () => {}): string {
  const root = tempRoot();
  roots.push(root);
  fs.cpSync(path.join(REPO, "stacks"), path.join(root, "stacks"), { recursive: true });
  change(root);
  return root;
}

const rewrite = (root: string, rel: string, from: string, to: string) =>
  fs.writeFileSync(path.join(root, rel), edit(fs.readFileSync(path.join(root, rel), "utf8"), from, to));

/**
 * What `filing validate --root root` reports, computed in-process from the same core (so mutation
 * testing can measure the rule); one test below checks the command itself agrees.
 */
function validate(root: string, lang: "zh" | "en" = "zh"): { ok: boolean; problems: { file: string; line: number; rule: string; message: string }[] } {
  const stacks = stackOwnersOf(readStackFiles(root));
  const result = validateRegister({ filings: readFilingFiles(root), config: readConfigFiles(root), today: TODAY, stacks: stacks.owners });
  const problems = sortProblems([...stacks.problems, ...result.problems]);
  return {
    ok: !problems.some((p) => p.severity === "error"),
    problems: problems.map((p) => ({ file: p.file, line: p.line, rule: p.rule, message: p.message[lang] })),
  };
}
const validateCommand = (root: string, lang = "zh") => JSON.parse(runBin(["validate", "--root", root, "--format", "json", "--today", TODAY, "--no-cache", "--lang", lang]).stdout) as ReturnType<typeof validate>;
const ownership = (root: string, lang: "zh" | "en" = "zh") => validate(root, lang).problems.filter((p) => p.rule === "stack-ownership");

describe("stack ownership", () => {
  it("the examples split the sample by campus: every virtual filing has exactly one stack", () => {
    const root = withStacks();
    expect(validate(root).ok).toBe(true);
    expect(ownership(root)).toEqual([]);
    const owners = readStackOwners(root).owners!;
    expect(owners.map((o) => [o.name, o.owns])).toEqual([
      ["campus-proxmox", { campuses: ["east"] }],
      ["campus-vsphere", { campuses: ["main"] }],
    ]);
  });

  it("a filing two stacks own is an error on its file and line, naming both, and filing plan refuses", () => {
    // Without owns, the Proxmox stack owns everything, the main campus included.
    const root = withStacks((r) => rewrite(r, "stacks/Pulumi.campus-proxmox.yaml", "  server-filings:owns:\n    campuses: [east]\n", ""));
    const found = ownership(root);
    const file = "filings/jwc/course-selection.yaml";
    const one = found.find((p) => p.file === file)!;
    expect(one.line).toBe(fs.readFileSync(path.join(root, file), "utf8").split("\n").findIndex((l) => l.startsWith("department:")) + 1);
    expect(one.message).toBe("这份备案同时被 campus-proxmox、campus-vsphere 认领（部门 jwc（外网，校区 main）），会创建两台虚拟机。每份备案只能属于一个堆栈，请信息中心调整 server-filings:owns。");
    expect(ownership(root, "en").find((p) => p.file === file)!.message).toBe(
      "This filing is owned by campus-proxmox and campus-vsphere (department jwc, external): it would get two VMs. Each filing belongs to one stack; the information center must adjust server-filings:owns.",
    );
    // The command reports exactly what the core found.
    expect(validateCommand(root).problems.filter((p) => p.rule === "stack-ownership").map(({ file, line, message }) => ({ file, line, message }))).toEqual(found.map(({ file, line, message }) => ({ file, line, message })));
    // The east campus stays with Proxmox alone.
    expect(found.some((p) => p.file.startsWith("filings/hxy/"))).toBe(false);
    // Physical filings have no VM and belong to no stack.
    expect(found.some((p) => p.file === "filings/hxy/spectra-db.yaml")).toBe(false);
    const plan = runBin(["plan", "--root", root, "--today", TODAY]);
    expect(plan.code).toBe(1);
    expect(plan.stderr).toContain("[stack-ownership]");
  });

  it("a filing no stack owns is an error, and filing plan refuses", () => {
    // A department without a campus falls outside both stacks.
    const root = withStacks((r) => rewrite(r, "policies/departments.yaml", "    name: 计算机科学与技术学院\n    campus: main\n", "    name: 计算机科学与技术学院\n"));
    const found = ownership(root, "en");
    // gpu-lab is a physical server: no VM, no stack.
    expect(found.map((p) => p.file).sort()).toEqual(["filings/jsj/course-lab-2024.yaml", "filings/jsj/gitlab.yaml", "filings/jsj/online-judge.yaml"]);
    expect(found[0]!.message).toBe(
      "No stack owns this filing: department jsj (internal) is outside every stack's server-filings:owns in stacks/, so its VM would never be created. The information center must add it to one stack.",
    );
    expect(ownership(root)[0]!.message).toBe("没有任何堆栈认领这份备案：部门 jsj（校内网） 不在 stacks/ 中任何堆栈的 server-filings:owns 范围内，它的虚拟机不会被创建。请信息中心在一个堆栈配置中认领它。");
    expect(runBin(["plan", "--root", root, "--today", TODAY]).code).toBe(1);
  });

  it("owns naming an unknown department or campus is an error on the stack file's line", () => {
    const root = withStacks((r) => rewrite(r, "stacks/Pulumi.campus-proxmox.yaml", "    campuses: [east]\n", "    campuses: [east, west]\n    departments: [hxy, wgy, nobody]\n"));
    const found = ownership(root, "en").filter((p) => p.file === "stacks/Pulumi.campus-proxmox.yaml");
    expect(found.map((p) => p.message)).toEqual([
      'No department has campus "west" named in server-filings:owns (campus in policies/departments.yaml). Check the spelling.',
      'Department "nobody" in server-filings:owns is not in policies/departments.yaml. Use a listed department slug.',
    ]);
    expect(ownership(root).filter((p) => p.file === "stacks/Pulumi.campus-proxmox.yaml").map((p) => p.message)).toEqual([
      'server-filings:owns 中的校区 "west" 没有任何部门使用（policies/departments.yaml 的 campus）。请检查拼写。',
      'server-filings:owns 中的部门 "nobody" 不在 policies/departments.yaml 中。请改为已登记的部门代码。',
    ]);
    expect(found.map((p) => p.line)).toEqual([9, 10]);
  });

  it("owns by zone splits one campus between two stacks, and any zone name the schema allows is known", () => {
    const root = withStacks((r) => {
      rewrite(r, "stacks/Pulumi.campus-proxmox.yaml", "    campuses: [east]\n", "    campuses: [east]\n    zones: [internal, external]\n");
      rewrite(r, "stacks/Pulumi.campus-vsphere.yaml", "    campuses: [main]\n", "    campuses: [main]\n    zones: [internal, external]\n");
    });
    expect(ownership(root)).toEqual([]);
  });

  it("a filing of a department not in the list is reported by the rule for departments, and by ownership without a campus", () => {
    const root = withStacks((r) => fs.writeFileSync(path.join(r, "filings/jwc/stray.yaml"), edit(edit(fs.readFileSync(path.join(r, "filings/jwc/exam-scheduling.yaml"), "utf8"), "department: jwc", "department: abc"), "id: jwc-exam-scheduling", "id: jwc-stray").replace(/ip: \S+/, "ip: 10.20.1.240")));
    expect(ownership(root)).toEqual([
      { file: "filings/jwc/stray.yaml", line: 3, rule: "stack-ownership", message: "没有任何堆栈认领这份备案：部门 abc（校内网） 不在 stacks/ 中任何堆栈的 server-filings:owns 范围内，它的虚拟机不会被创建。请信息中心在一个堆栈配置中认领它。" },
    ]);
  });

  it("a broken stack file is reported, and no filing is called unowned because of it", () => {
    const root = withStacks((r) => rewrite(r, "stacks/Pulumi.campus-proxmox.yaml", "    campuses: [east]\n", "    campus: [east]\n"));
    const report = validate(root);
    expect(report.ok).toBe(false);
    expect(report.problems.some((p) => p.file === "stacks/Pulumi.campus-proxmox.yaml")).toBe(true);
    expect(report.problems.filter((p) => p.rule === "stack-ownership")).toEqual([]);
  });

  it("a register without stack files has no owners to check", () => {
    const root = tempRoot();
    roots.push(root);
    expect(readStackOwners(root)).toEqual({ owners: [], problems: [] });
    expect(ownership(root)).toEqual([]);
  });
});

describe("each stack provisions what it owns", () => {
  it("the program builds VMs only for the stack's filings", async () => {
    const vmNames = async (stack: "campus-vsphere" | "campus-proxmox") =>
      (await simulateProgram({ register: sampleRegister(), stack: stackInput(stack, undefined, { owns: true }) }))
        .filter((r) => r.custom && /VirtualMachine|VmLegacy/.test(r.type))
        .map((r) => r.name)
        .sort();
    const east = await vmNames("campus-proxmox");
    expect(east).toEqual(["hxy-instrument-booking", "hxy-safety-training", "wgy-language-lab", "wgy-translation-corpus"]);
    const main = await vmNames("campus-vsphere");
    expect(main).toHaveLength(19);
    expect(main.filter((n) => east.includes(n))).toEqual([]);
  });

  it("the pack requires of a stack the VMs of the filings it owns, and no others", async () => {
    const east = await simulateProgram({ register: sampleRegister(), stack: stackInput("campus-proxmox", undefined, { owns: true }) }, "campus-proxmox");
    expect(await check(east, packConfig("campus-proxmox"))).toEqual([]);
    // The same VMs judged as the vSphere stack's: the main campus's filings are missing.
    const asMain = await simulateProgram({ register: sampleRegister(), stack: stackInput("campus-proxmox", undefined, { owns: true }) }, "campus-vsphere");
    const missing = (await check(asMain, packConfig("campus-proxmox"))).filter((v) => v.policy === "stack-every-filing-provisioned");
    expect(missing.length).toBeGreaterThan(0);
    expect(missing.every((v) => !/hxy-|wgy-/.test(v.message))).toBe(true);
    // A stack the register has no file for is held to every filing.
    const all = await programResources("campus-proxmox");
    expect((await check(all, packConfig("campus-proxmox"))).filter((v) => v.policy === "stack-every-filing-provisioned")).toEqual([]);
  });
});

describe("several vSphere stacks on one vCenter", () => {
  it("one manages the VM attribute definitions; a stack with customAttributes: lookup finds them by name and defines none", async () => {
    const resources = async (lookup: boolean) =>
      simulateProgram({
        register: sampleRegister(),
        stack: stackInput("campus-vsphere", (t) => (lookup ? t.replace("  server-filings:platform: vsphere\n", "  server-filings:platform: vsphere\n  server-filings:customAttributes: lookup\n") : t)),
      });
    const managing = await resources(false);
    expect(managing.filter((r) => r.type === "vsphere:index/customAttribute:CustomAttribute").map((r) => r.name).sort()).toEqual(["filing-department", "filing-exposure", "filing-id", "filing-period-end"]);
    const looking = await resources(true);
    expect(looking.filter((r) => r.type === "vsphere:index/customAttribute:CustomAttribute")).toEqual([]);
    const vm = looking.find((r) => r.name === "jwc-exam-scheduling" && r.type === "vsphere:index/virtualMachine:VirtualMachine")!;
    expect(Object.keys(vm.inputs.customAttributes).sort()).toEqual(["attribute-filing-department", "attribute-filing-exposure", "attribute-filing-id", "attribute-filing-period-end"]);
    expect(vm.inputs.customAttributes["attribute-filing-id"]).toBe("jwc-exam-scheduling");
  });
});
