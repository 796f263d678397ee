/** Which filing a desk branch proposes (lib/desk/pull.ts): read to keep open requests from asking for one address. */
import { describe, expect, it } from "vitest";
import { isDeskBranchFor, newFilingOn } from "../../lib/desk/pull";

describe("newFilingOn", () => {
  const departments = ["jwc", "tsg", "tsg-lab"];

  it("reads a new filing's department and name from its branch", () => {
    expect(newFilingOn("filing/jwc-exam-room", departments)).toEqual({ department: "jwc", name: "exam-room" });
  });

  it("takes the longest department whose slug starts the id", () => {
    expect(newFilingOn("filing/tsg-lab-portal", departments)).toEqual({ department: "tsg-lab", name: "portal" });
    expect(newFilingOn("filing/tsg-portal", departments)).toEqual({ department: "tsg", name: "portal" });
  });

  it("reads nothing from other branches, unknown departments or names the desk never makes", () => {
    for (const branch of ["change/jwc-exam-room-20261208010203", "feature/jwc-x", "filing/xyz-portal", "filing/jwc-", "filing/jwc-Exam", "filing/jwc", "xfiling/jwc-a"]) {
      expect(newFilingOn(branch, departments), branch).toBeUndefined();
    }
  });

  it("agrees with the branches the desk opens for a new filing", () => {
    expect(isDeskBranchFor("filing/jwc-exam-room", "jwc-exam-room")).toBe(true);
  });
});
