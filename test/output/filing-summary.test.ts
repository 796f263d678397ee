/** A filing in the paper form's words: a physical server's CPU is counted in cores, a VM's in vCPU. */
import { describe, expect, it } from "vitest";
import { filingSummary } from "../../lib/output/filing-summary";
import { parseFiling } from "../../lib/filings/parse";
import { NO_NAMES } from "../../lib/names";
import { BASE, BASE_PATH, edit } from "../helpers/register";

const summary = (text: string, lang: "zh" | "en") => filingSummary(parseFiling({ path: BASE_PATH, bytes: Buffer.from(text, "utf8") }).loaded!.filing, lang, NO_NAMES)[1];

describe("filingSummary's resources line", () => {
  it("a virtual server in vCPU", () => {
    expect(summary(BASE, "zh")).toBe("服务器类型：虚拟服务器；配置：4 vCPU，内存 8 GiB，硬盘 100 GiB");
  });
  it("a physical server in cores", () => {
    const physical = `${edit(BASE, "type: virtual", "type: physical")}maintenance: { vendor: 某公司, underWarranty: true, technician: { name: 李四, phone: "13900001111" } }\nonlineSince: 2026-11-01\n`;
    expect(summary(physical, "zh")).toBe("服务器类型：物理服务器；配置：CPU 4 核，内存 8 GiB，硬盘 100 GiB");
    expect(summary(physical, "en")).toMatch(/^Type: physical server; Resources: 4 CPU cores, /);
  });
});
