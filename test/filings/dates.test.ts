import { describe, expect, it } from "vitest";
import { schoolTime } from "../../lib/filings/dates";

describe("times as the school reads them", () => {
  it.each([
    ["2026-11-23T09:00:00Z", "2026-11-23 17:00"],
    // An evening review in UTC is the next morning in Beijing: the UTC date would be a day early.
    ["2026-11-22T17:30:00Z", "2026-11-23 01:30"],
    ["2026-12-31T16:00:00Z", "2027-01-01 00:00"],
    ["2026-11-23T09:00:00+08:00", "2026-11-23 09:00"],
    ["not a time", "not a time"],
  ])("%s → %s", (iso, shown) => expect(schoolTime(iso)).toBe(shown));
});
