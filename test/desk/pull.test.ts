/** Which filing a desk branch is for (lib/desk/pull.ts): read to hold a filing while its request waits, and its address. */
import { describe, expect, it } from "vitest";
import { deskBranchFiling, isDeskBranchFor } from "../../lib/desk/pull";

describe("deskBranchFiling", () => {
  const departments = ["jwc", "tsg", "tsg-lab"];

  it("reads the action, department and name from each kind of desk branch", () => {
    expect(deskBranchFiling("filing/jwc-exam-room-20261208010203", departments)).toEqual({ action: "new", department: "jwc", name: "exam-room", id: "jwc-exam-room" });
    expect(deskBranchFiling("change/jwc-exam-room-20261208010203", departments)).toEqual({ action: "change", department: "jwc", name: "exam-room", id: "jwc-exam-room" });
    expect(deskBranchFiling("renew/jwc-exam-room-20261208010203", departments)?.action).toBe("renew");
    expect(deskBranchFiling("decommission/jwc-exam-room-20261208010203", departments)?.action).toBe("decommission");
  });

  it("takes the longest department whose slug starts the id", () => {
    expect(deskBranchFiling("filing/tsg-lab-portal-20261208010203", departments)).toMatchObject({ department: "tsg-lab", name: "portal" });
    expect(deskBranchFiling("filing/tsg-portal-20261208010203", departments)).toMatchObject({ department: "tsg", name: "portal" });
  });

  it("reads nothing from other branches, unknown departments or names the desk never makes", () => {
    for (const branch of ["filing/jwc-exam-room", "feature/jwc-x-20261208010203", "filing/xyz-portal-20261208010203", "filing/jwc-20261208010203", "filing/jwc-Exam-20261208010203", "xfiling/jwc-a-20261208010203", "change/jwc-a-2026120801020"]) {
      expect(deskBranchFiling(branch, departments), branch).toBeUndefined();
    }
  });

  it("agrees with isDeskBranchFor, which tells one filing's branches from a longer id's", () => {
    expect(isDeskBranchFor("filing/jwc-exam-room-20261208010203", "jwc-exam-room")).toBe(true);
    expect(isDeskBranchFor("change/jwc-exam-room-2-20261208010203", "jwc-exam-room")).toBe(false);
    expect(isDeskBranchFor("filing/jwc-exam-room", "jwc-exam-room")).toBe(false);
  });
});
