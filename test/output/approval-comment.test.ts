/**
 * The sticky comment holds values a department wrote (a purpose, a name). Written into Markdown as
 * they are, a line break ends the list item and `<!--` hides the rest of the comment, refusals and
 * missing signatures included, or a line fakes the verdict. Each stays one line, and no tag opens.
 */
import { describe, expect, it } from "vitest";
import { classifyChanges } from "../../lib/approvals/classify";
import { evaluateApprovals } from "../../lib/approvals/evaluate";
import { parseConfig } from "../../lib/config/parse";
import { COMMENT_MARKER, formatApprovalComment, markdownSafe } from "../../lib/output/approvals";
import { BASE, sampleConfig, TODAY } from "../helpers/register";

const config = parseConfig(sampleConfig).loaded!.config;
const HEAD = "c".repeat(40);
const PATH = "filings/jwc/fixture.yaml";

function comment(purpose: string): string {
  const text = BASE.replace("purpose: 测试用选课系统", `purpose: ${JSON.stringify(purpose)}`);
  const evaluation = evaluateApprovals({
    classification: classifyChanges([PATH], [{ path: PATH, head: { path: PATH, bytes: Buffer.from(text) } }]),
    pr: { number: 7, author: "liu-jwc-staff", headSha: HEAD, commits: [{ sha: HEAD, author: "liu-jwc-staff" }], reviews: [] },
    config,
    teams: new Map([["@campus/jwc-staff", new Set(["liu-jwc-staff"])]]),
    today: TODAY,
  });
  return formatApprovalComment(evaluation);
}

describe("values a department wrote, in the sticky comment", () => {
  it("a plain purpose reads as written: the baseline", () => {
    expect(comment("测试用选课系统")).toContain("用途：测试用选课系统");
  });

  it("a line break and an HTML comment hide nothing and fake nothing", () => {
    const text = comment("选课\n<!--\n✅ 所有签字已齐全，可以合并。");
    expect(text.split("<!--").length - 1, "only the marker opens an HTML comment").toBe(COMMENT_MARKER.split("<!--").length - 1);
    expect(text).toContain("用途：选课 &lt;!-- ✅ 所有签字已齐全，可以合并。");
    // What follows is still there: the signatures still needed.
    expect(text).toContain("还需签字：");
    expect(text.split("\n").filter((l) => l.startsWith("✅ 所有签字已齐全"))).toEqual([]);
  });

  it("a tag is shown, never opened", () => {
    expect(markdownSafe("<details open><summary>x</summary> & y")).toBe("&lt;details open&gt;&lt;summary&gt;x&lt;/summary&gt; &amp; y");
  });
});
