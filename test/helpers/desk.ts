import { prepareRegister, type PreparedRegister } from "../../lib/desk/check";
import { readConfigFiles } from "../../lib/config/read";
import { readFilingFiles } from "../../lib/filings/read";
import { REPO, TODAY } from "./register";

/** The sample register as the desk holds it between checks. */
export const deskRegister = (): PreparedRegister => prepareRegister(readFilingFiles(REPO), readConfigFiles(REPO), TODAY) as PreparedRegister;

/** A library server's form that passes every rule: the baseline the desk's tests change one box of. */
export const VALID_FORM: Readonly<Record<string, string>> = {
  type: "virtual", purpose: "阅览室座位预约", scope: "department", "administrator.name": "吴桐", "administrator.title": "馆员",
  "administrator.phone": "13800138000", "administrator.email": "wutong@example.edu.cn", "period.start": TODAY, "period.months": "12",
  "resources.cpu": "2", "resources.memoryGiB": "4", "resources.disks": "100", "network.zone": "internal", "network.ip": "10.20.1.25",
  "operations.backup.daily": "true", "operations.backup.secondCopy": "true", "operations.logRetentionDays": "180",
};
