import { expect, it } from "vitest";
import { msg } from "../../lib/messages";
import { formatGithub } from "../../lib/output/problems";

it("escapes annotation properties and data the way the Actions runner reads them", () => {
  const out = formatGithub(
    {
      ok: false,
      filings: 1,
      problems: [{ file: "filings/a,b:c.yaml", line: 3, column: 7, rule: "r", severity: "warning", message: msg("百分之百%\n第二行", "100%\nline two") }],
    },
    "zh",
  );
  expect(out).toBe("::warning file=filings/a%2Cb%3Ac.yaml,line=3,col=7,title=r::百分之百%25%0A第二行\n");
});
