/**
 * codeowners(config) in-process: the committed .github/CODEOWNERS is exactly what the config gives,
 * and each line's owners follow from the roles (test/cli/codeowners.test.ts runs the command).
 */
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { codeowners, CODEOWNERS_FILE } from "../../lib/approvals/codeowners";
import type { InstitutionConfig } from "../../lib/config/model";
import { parseConfig } from "../../lib/config/parse";
import { REPO, sampleConfig } from "../helpers/register";

const config: InstitutionConfig = parseConfig(sampleConfig).loaded!.config;

describe("codeowners", () => {
  it("is the committed file, byte for byte", () => {
    expect(codeowners(config)).toBe(fs.readFileSync(path.join(REPO, CODEOWNERS_FILE), "utf8"));
  });

  it("names one owner once where it holds two roles, and sorts the departments", () => {
    const shared: InstitutionConfig = {
      ...config,
      approvals: { ...config.approvals, holders: { informationCenterHead: ["@ic"], securityLeader: ["@ic", "@sec"] } },
      departments: [
        { ...config.departments[1]!, slug: "zz", roles: { departmentHead: ["@head"], schoolLeader: ["@ic"] } },
        { ...config.departments[0]!, slug: "aa", roles: { departmentHead: ["@a"], schoolLeader: ["@b"] } },
      ],
    };
    expect(codeowners(shared).split("\n").slice(4)).toEqual([
      "* @ic @sec",
      "/policies/ @ic @sec",
      "/stacks/ @ic @sec",
      "/.github/ @ic @sec",
      "",
      "/filings/aa/ @a @b @ic",
      "/filings/zz/ @head @ic",
      "",
    ]);
  });
});
