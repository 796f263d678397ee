import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import * as YAML from "yaml";
import { run } from "../../scripts/cli/main";
import type { Asker } from "../../scripts/cli/new";
import { runBin } from "../helpers/cli";
import { TODAY, tempRoot } from "../helpers/register";

const FLAGS = [
  "new", "--yes", "--today", TODAY,
  "--department", "jwc", "--name", "timetable", "--purpose", "课表查询系统", "--scope", "school",
  "--admin-name", "张三", "--admin-title", "工程师", "--admin-phone", "13800138000", "--admin-email", "zhangsan@example.edu.cn",
  "--cpu", "2", "--memory", "4", "--disk", "60", "--disk", "200", "--daily-backup", "--second-copy",
];

const filing = runBin;

describe("filing new with flags", () => {
  it("writes a valid filing with the next free internal IP, then refuses to overwrite it", () => {
    const root = tempRoot();
    const r = filing(FLAGS, root);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const file = path.join(root, "filings/jwc/timetable.yaml");
    const text = fs.readFileSync(file, "utf8");
    expect(text.split("\n")[0]).toBe("# yaml-language-server: $schema=../filing.schema.json");
    const written = YAML.parse(text);
    expect(written).toMatchObject({
      id: "jwc-timetable",
      period: { start: TODAY, months: 12 },
      resources: { cpu: 2, memoryGiB: 4, disks: [{ sizeGiB: 60 }, { sizeGiB: 200 }] },
      // 10.20.1.10 … 10.20.1.24 are taken by the sample register.
      network: { zone: "internal", ip: "10.20.1.25", ports: [] },
      commitments: { responsibilityLetter: "2026-1" },
    });
    expect(filing(["validate", "--today", TODAY], root).code).toBe(0);

    const again = filing(FLAGS, root);
    expect(again.code).toBe(2);
    expect(again.stderr).toContain("已存在，不会覆盖");
    expect(fs.readFileSync(file, "utf8")).toBe(text);
    fs.rmSync(root, { recursive: true, force: true });
  });

  it("lists every missing flag in non-interactive mode", () => {
    const root = tempRoot();
    const r = filing(["new", "--yes", "--department", "jwc", "--lang", "en"], root);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("--name --purpose --admin-name --admin-title --admin-phone --admin-email --cpu --memory --disk --daily-backup --second-copy");
    expect(fs.readdirSync(path.join(root, "filings/jwc"))).toHaveLength(3);
    fs.rmSync(root, { recursive: true, force: true });
  });

  it("writes nothing when the answers break a rule, and says which", () => {
    const root = tempRoot();
    const r = filing([...FLAGS, "--zone", "external", "--port", "3128/tcp"], root);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("[forbidden-port]");
    expect(fs.existsSync(path.join(root, "filings/jwc/timetable.yaml"))).toBe(false);
    fs.rmSync(root, { recursive: true, force: true });
  });
});

/** Answers questions in order and records what was asked; a wrong answer is re-asked like a prompt would. */
function scripted(answers: (string | boolean)[]): { asker: Asker; asked: string[]; rejected: string[] } {
  const asked: string[] = [];
  const rejected: string[] = [];
  const next = (): string | boolean => {
    if (answers.length === 0) throw new Error(`no answer left after: ${asked.join(" / ")}`);
    return answers.shift()!;
  };
  const asker: Asker = {
    async text(q) {
      for (;;) {
        asked.push(q.message);
        const a = next();
        const value = a === "" && q.default !== undefined ? q.default : String(a);
        const verdict = q.validate ? q.validate(value) : true;
        if (verdict === true) return value;
        rejected.push(verdict);
      }
    },
    async choose(q) {
      asked.push(q.message);
      const a = next();
      return (a === "" ? q.default : a) as never;
    },
    async confirm(q) {
      asked.push(q.message);
      return Boolean(next());
    },
  };
  return { asker, asked, rejected };
}

describe("filing new, interactive", () => {
  it("asks the form's questions, re-asks a bad phone number, and writes a physical filing", async () => {
    const root = tempRoot();
    const { asker, asked, rejected } = scripted([
      "kyc", "storage-node", "physical", "2026-11-01", "科研数据存储服务器", "department",
      "钱进", "主任科员", "1380013800", "13800138000", "qianjin@example.edu.cn",
      "", "", "16", "64", "480", true, "8000", false,
      "", "", "", true, true, "", "",
      "某某科技有限公司", true, "刘工", "010-62751234",
      "", // the review before writing: all right
    ]);
    const out: string[] = [];
    const err: string[] = [];
    const code = await run(["new", "--root", root, "--today", TODAY], {
      cwd: root, now: () => new Date(), stdout: (t) => out.push(t), stderr: (t) => err.push(t), isInteractive: true, env: {},
    }, { askerFactory: async () => asker });
    expect(err.join("")).toBe("");
    expect(code).toBe(0);
    expect(asked[0]).toBe("申请部门");
    // The last question is the review of every answer, before anything is written.
    expect(asked.at(-1)).toBe("以上回答都对吗？可以选一项重新回答");
    expect(asked).toContain("应用系统管理员 手机号码");
    expect(rejected).toHaveLength(1);
    expect(rejected[0]).toContain("administrator.phone（手机号码）");
    const written = YAML.parse(fs.readFileSync(path.join(root, "filings/kyc/storage-node.yaml"), "utf8"));
    expect(written).toMatchObject({
      id: "kyc-storage-node",
      type: "physical",
      resources: { cpu: 16, memoryGiB: 64, disks: [{ sizeGiB: 480 }, { sizeGiB: 8000 }] },
      network: { zone: "internal", ip: "10.20.1.25" },
      maintenance: { vendor: "某某科技有限公司", underWarranty: true, technician: { name: "刘工", phone: "010-62751234" } },
      onlineSince: "2026-11-01",
    });
    expect(out.join("")).toContain("已创建 filings/kyc/storage-node.yaml");
    fs.rmSync(root, { recursive: true, force: true });
  });
});

describe("filing new's review", () => {
  it("offers the earlier answer as the default when one is answered again, not today's date", async () => {
    const root = tempRoot();
    const { asker } = scripted([
      "jwc", "gitlab", "virtual", "代码托管", "department",
      "张三", "工程师", "13800138000", "zhangsan@example.edu.cn",
      "2026-12-01", "", "2", "4", "40", false, "internal", "", "", true, true, "", "",
      "start", "", // answer the start date again, pressing Enter on what is offered
      "", // then all right
    ]);
    const reviewed: string[] = [];
    const choose = asker.choose.bind(asker);
    asker.choose = async (q) => {
      if (q.message.startsWith("以上回答都对吗")) reviewed.push(...q.choices.map((c) => c.name));
      return choose(q);
    };
    const code = await run(["new", "--root", root, "--today", TODAY], {
      cwd: root, now: () => new Date(), stdout: () => undefined, stderr: () => undefined, isInteractive: true, env: {},
    }, { askerFactory: async () => asker });
    expect(code).toBe(0);
    expect(YAML.parse(fs.readFileSync(path.join(root, "filings/jwc/gitlab.yaml"), "utf8")).period.start).toBe("2026-12-01");
    // "auto" is shown as the address it will be, before anything is written.
    expect(reviewed).toContain("IP 地址：auto（将分配 10.20.1.25）");
    fs.rmSync(root, { recursive: true, force: true });
  });
});

describe("filing new and a physical server filed late", () => {
  it("says the deadline was missed right after the online date, before the remarks that should give the reason", async () => {
    const root = tempRoot();
    const { asker, asked } = scripted([
      "kyc", "storage-node", "physical", "2026-07-01", "科研数据存储服务器", "department",
      "钱进", "主任科员", "13800138000", "qianjin@example.edu.cn",
      "", "", "16", "64", "480", false,
      "", "", "", true, true, "", "设备采购后先行试用，现补报",
      "某某科技有限公司", true, "刘工", "010-62751234",
      "", // the review before writing: all right
    ]);
    const err: string[] = [];
    const seenWhen: string[] = [];
    const ask = asker.text.bind(asker);
    asker.text = async (q) => { seenWhen.push(`${err.join("").includes("超过上线后 30 天内备案的期限") ? "warned" : "not yet"}: ${q.message}`); return ask(q); };
    const code = await run(["new", "--root", root, "--today", TODAY], {
      cwd: root, now: () => new Date(), stdout: () => undefined, stderr: (t) => err.push(t), isInteractive: true, env: {},
    }, { askerFactory: async () => asker });
    expect(code).toBe(0);
    expect(asked[3]).toBe("上线时间（YYYY-MM-DD）");
    expect(err.join("")).toContain("⚠ 物理服务器于 2026-07-01 上线，至今已 145 天，超过上线后 30 天内备案的期限。");
    expect(seenWhen.find((l) => l.includes("用途"))).toMatch(/^warned/);
    expect(seenWhen.find((l) => l.includes("上线时间"))).toMatch(/^not yet/);
    fs.rmSync(root, { recursive: true, force: true });
  });
});

describe("filing new with an unfinished interview", () => {
  it("without --resume, asks whether to go on with the kept answers instead of overwriting them", async () => {
    const root = tempRoot();
    fs.writeFileSync(path.join(root, ".filing-new-draft.json"), JSON.stringify({ department: "jwc", name: "lab-booking", type: "virtual", purpose: "实验室预约系统" }));
    const { asker, asked } = scripted([
      "resume", "department",
      "张三", "工程师", "13800138000", "zhangsan@example.edu.cn",
      "", "", "2", "4", "40", false, "internal", "", "", true, true, "", "",
      "", // the review before writing: all right
    ]);
    const err: string[] = [];
    const code = await run(["new", "--root", root, "--today", TODAY], {
      cwd: root, now: () => new Date(), stdout: () => undefined, stderr: (t) => err.push(t), isInteractive: true, env: {},
    }, { askerFactory: async () => asker });
    expect(code, err.join("")).toBe(0);
    expect(asked[0]).toBe("上次有未完成的填写，已保存。要继续上次的填写吗？");
    expect(asked).not.toContain("用途");
    expect(YAML.parse(fs.readFileSync(path.join(root, "filings/jwc/lab-booking.yaml"), "utf8"))).toMatchObject({ purpose: "实验室预约系统" });
    fs.rmSync(root, { recursive: true, force: true });
  });
});

describe("filing new takes what people type", () => {
  it("a phone with dashes, full-width digits, a date with slashes and units after numbers: recorded normalised, and each said", async () => {
    const root = tempRoot();
    const { asker, rejected } = scripted([
      "kyc", "storage-node", "physical", "2026/11/1", "科研数据存储服务器", "department",
      "钱进", "主任科员", "138-0013-8000", "qianjin@example.edu.cn",
      "２０２６/11/23", "12个月", "16核", "64 GiB", "480G", false,
      "", "", "180天", true, true, "", "",
      "某某科技有限公司", true, "刘工", "010 6275 1234",
      "", // the review before writing: all right
    ]);
    const err: string[] = [];
    const code = await run(["new", "--root", root, "--today", TODAY], {
      cwd: root, now: () => new Date(), stdout: () => undefined, stderr: (t) => err.push(t), isInteractive: true, env: {},
    }, { askerFactory: async () => asker });
    expect(code).toBe(0);
    expect(rejected).toEqual([]);
    const said = err.join("");
    for (const line of ["→ 记为 13800138000", "→ 记为 2026-11-23", "→ 记为 12", "→ 记为 16", "→ 记为 64", "→ 记为 480", "→ 记为 180", "→ 记为 2026-11-01"]) expect(said).toContain(line);
    const written = YAML.parse(fs.readFileSync(path.join(root, "filings/kyc/storage-node.yaml"), "utf8"));
    expect(written).toMatchObject({
      administrator: { phone: "13800138000" },
      period: { start: "2026-11-23", months: 12 },
      resources: { cpu: 16, memoryGiB: 64, disks: [{ sizeGiB: 480 }] },
      operations: { logRetentionDays: 180 },
      onlineSince: "2026-11-01",
    });
    fs.rmSync(root, { recursive: true, force: true });
  });

  it("a unit that is not the question's (1T for GiB) is refused, not converted", async () => {
    const root = tempRoot();
    const { asker, rejected } = scripted([
      "jwc", "gitlab", "virtual", "代码托管", "department",
      "张三", "工程师", "13800138000", "zhangsan@example.edu.cn",
      "", "", "2", "4", "1T", "40", false, "internal", "", "", true, true, "", "",
      "", // the review before writing: all right
    ]);
    const code = await run(["new", "--root", root, "--today", TODAY], {
      cwd: root, now: () => new Date(), stdout: () => undefined, stderr: () => undefined, isInteractive: true, env: {},
    }, { askerFactory: async () => asker });
    expect(code).toBe(0);
    expect(rejected).toEqual(["“T”不是这里的单位（这里以 GiB 计）：按 1T = 1024 GiB，1T 应填 1024。"]);
    fs.rmSync(root, { recursive: true, force: true });
  });
});

describe("filing new, each answer judged by the institution rules", () => {
  it("re-asks a disk above the department's quota and an IP already filed, with the rules' messages", async () => {
    const root = tempRoot();
    const { asker, rejected } = scripted([
      "jwc", "gitlab", "virtual", "代码托管", "department",
      "张三", "工程师", "13800138000", "zhangsan@example.edu.cn",
      "", "",
      "2", "4", "3000", "40", false, "internal",
      "10.20.1.10", "10.20.1.250", "", true, true, "", "",
      "", // the review before writing: all right
    ]);
    const code = await run(["new", "--root", root, "--today", TODAY], {
      cwd: root, now: () => new Date(), stdout: () => undefined, stderr: () => undefined, isInteractive: true, env: {},
    }, { askerFactory: async () => asker });
    expect(code).toBe(0);
    expect(rejected).toHaveLength(2);
    expect(rejected[0]).toMatch(/部门 jwc 的在用虚拟服务器超出配额。硬盘：其他在用备案已用 1800 GiB，本备案申请 3000 GiB，合计 4800 GiB，超过配额 4096 GiB（本备案最多可申请 2296 GiB）/);
    expect(rejected[1]).toContain("10.20.1.10");
    const written = YAML.parse(fs.readFileSync(path.join(root, "filings/jwc/gitlab.yaml"), "utf8"));
    expect(written).toMatchObject({ resources: { cpu: 2, disks: [{ sizeGiB: 40 }] }, network: { ip: "10.20.1.250" } });
    fs.rmSync(root, { recursive: true, force: true });
  });
});

describe("filing new and sensitive ports", () => {
  it("asks the reason and the sources of a sensitive port, refuses 0.0.0.0/0, and writes them", async () => {
    const root = tempRoot();
    const { asker, asked, rejected } = scripted([
      "jsj", "bastion", "virtual", "学院跳板机", "department",
      "魏东", "工程师", "15010101010", "weidong@example.edu.cn",
      "", "", "2", "4", "40", false, "external", "",
      "443/tcp,22/tcp", "运维人员经学校 VPN 远程维护", "0.0.0.0/0", "10.8.0.0/16",
      "", true, true, "", "",
      "", // the review before writing: all right
    ]);
    const code = await run(["new", "--root", root, "--today", TODAY], {
      cwd: root, now: () => new Date(), stdout: () => undefined, stderr: () => undefined, isInteractive: true, env: {},
    }, { askerFactory: async () => asker });
    expect(code).toBe(0);
    expect(asked).toContain("端口 22/tcp（SSH 远程登录）是敏感端口：暴力破解和漏洞利用的常见入口。请说明为什么必须从互联网访问");
    expect(rejected).toHaveLength(1);
    expect(rejected[0]).toContain("等于整个互联网");
    const written = YAML.parse(fs.readFileSync(path.join(root, "filings/jsj/bastion.yaml"), "utf8"));
    expect(written.network).toMatchObject({ zone: "external", ports: ["443/tcp", "22/tcp"], exposures: [{ port: "22/tcp", reason: "运维人员经学校 VPN 远程维护", sources: ["10.8.0.0/16"] }] });
    fs.rmSync(root, { recursive: true, force: true });
  });

  it("takes them from --exposure in --yes mode, and names the flag when it is missing", () => {
    const root = tempRoot();
    const flags = [...FLAGS.map((f) => f.replace("timetable", "bastion")), "--zone", "external", "--port", "443/tcp", "--port", "22/tcp"];
    const missing = filing(flags, root);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("--exposure");
    const r = filing([...flags, "--exposure", "22/tcp|10.8.0.0/16|运维人员经学校 VPN 远程维护"], root);
    expect(r.code, r.stderr).toBe(0);
    const written = YAML.parse(fs.readFileSync(path.join(root, "filings/jwc/bastion.yaml"), "utf8"));
    expect(written.network.exposures).toEqual([{ port: "22/tcp", reason: "运维人员经学校 VPN 远程维护", sources: ["10.8.0.0/16"] }]);
    fs.rmSync(root, { recursive: true, force: true });
  });
});
