/** The heads of the monthly report, the register and the form name the school only when the config does. */
import { describe, expect, it } from "vitest";
import { monthlyHead } from "../../lib/reports/monthly";
import { registerTitle } from "../../lib/reports/register";
import { formHtml } from "../../lib/output/form-html";
import { NO_NAMES, namesOf } from "../../lib/names";
import { parseFiling } from "../../lib/filings/parse";
import { BASE, BASE_PATH, sampleConfig } from "../helpers/register";
import { parseConfig } from "../../lib/config/parse";

const config = parseConfig(sampleConfig).loaded!.config;
const period = { from: "2026-11-01", to: "2026-11-30", today: "2026-12-01" };
const filing = parseFiling({ path: BASE_PATH, bytes: Buffer.from(BASE, "utf8") }).loaded!.filing;

describe("the heads of what the information center hands on", () => {
  it("with policies/institution.yaml: the school's name and the units the report goes from and to", () => {
    const names = namesOf(config);
    expect(monthlyHead("2026-11", period, [], "zh", names).slice(0, 3)).toEqual([
      "示例大学服务器备案变更月报（2026-11）",
      "报告期：2026-11-01 至 2026-11-30（北京时间）",
      "报送：网络与信息中心 → 市公安局网络安全保卫支队（每月 20 日前报送上月有变更的备案资料）",
    ]);
    expect(monthlyHead("2026-11", period, [], "en", names)[0]).toBe("Example University: monthly filing changes 2026-11");
    expect(registerTitle(names, "zh")).toBe("示例大学服务器备案台账");
    expect(registerTitle(names, "en")).toBe("Example University: server filing register");
    expect(formHtml(filing, "教务处", undefined, names)).toContain("<h1>示例大学物理服务器及虚拟服务器备案申请表</h1>");
  });

  it("without it: no school, and the report goes from the information center to the public-security authority", () => {
    expect(monthlyHead("2026-11", period, [], "zh", NO_NAMES)[0]).toBe("服务器备案变更月报（2026-11）");
    expect(monthlyHead("2026-11", period, [], "zh", NO_NAMES)[2]).toBe("报送：信息中心 → 公安机关网络安全保卫部门（每月 20 日前报送上月有变更的备案资料）");
    expect(monthlyHead("2026-11", period, [], "en", NO_NAMES)[0]).toBe("Monthly filing changes 2026-11");
    expect(registerTitle(NO_NAMES, "zh")).toBe("服务器备案台账");
    expect(formHtml(filing, "教务处")).toContain("<h1>物理服务器及虚拟服务器备案申请表</h1>");
  });
});
