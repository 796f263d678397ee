import { PolicyPack } from "@pulumi/policy";
import { policies } from "./policies";

new PolicyPack("server-filings", { policies, description: "备案即代码：虚拟机必须有已批准的备案 / Server filings as code: every VM needs an approved filing." });
