import { msg, type Message } from "../messages";
import { suspiciousCharacters } from "../characters";
import { at, type FilingRule } from "./types";

const FOLDER = /^[a-z][a-z0-9]*$/;
const NAME = /^[a-z0-9]+(-[a-z0-9]+)*$/;

/** `filings/<department>/<name>.yaml` → its parts, or undefined when the path has another shape. */
export function filingPathParts(file: string): { folder: string; name: string } | undefined {
  const m = /^filings\/([^/]+)\/([^/]+)\.yaml$/.exec(file);
  return m ? { folder: m[1]!, name: m[2]! } : undefined;
}


export const filingLocation: FilingRule = {
  scope: "filing",
  id: "filing-location",
  severity: "error",
  check(f, ctx) {
    const parts = filingPathParts(f.file);
    if (!parts && f.file.toLowerCase().endsWith(".txt")) {
      const base = f.file.slice(0, -".txt".length);
      const renamed = base.endsWith(".yaml") ? base : `${base}.yaml`;
      return [
        at(f, ["id"], msg(
          `文件 ${f.file} 的扩展名是 .txt，不是 .yaml（Windows 默认隐藏扩展名，记事本会自动加上 .txt）。请在资源管理器中打开“查看 → 文件扩展名”，把文件改名为 ${renamed}。`,
          `${f.file} ends in .txt, not .yaml (Windows hides extensions, and Notepad adds .txt). Show file name extensions and rename it ${renamed}.`,
        ), { at: "key" }),
      ];
    }
    if (!parts) {
      return [
        at(f, ["id"], msg(
          `备案文件必须放在 filings/<部门代码>/<名称>.yaml，当前位置为 ${f.file}。请移动文件（扩展名为 .yaml）。`,
          `A filing must be at filings/<department>/<name>.yaml; this one is ${f.file}. Move it (extension .yaml).`,
        ), { at: "key" }),
      ];
    }
    // A folder that is no department's code, for a filing whose department is known: filing-department
    // names the folder it belongs in, which is the fix (renaming the folder would not be).
    const strayFolder = !ctx.departments.has(parts.folder) && ctx.departments.has(f.filing.department);
    return (strayFolder ? (["file"] as const) : (["folder", "file"] as const)).flatMap((part) => {
      const problem = pathPartProblem(part, part === "folder" ? parts.folder : parts.name);
      return problem ? [at(f, ["id"], problem, { at: "key" })] : [];
    });
  },
};

/**
 * Why a department folder or file name cannot be used, or undefined when it can. `filing new`
 * asks for the file name and checks it with this, before any id exists.
 */
export function pathPartProblem(part: "folder" | "file", value: string): Message | undefined {
  if ((part === "folder" ? FOLDER : NAME).test(value)) return undefined;
  const [label, labelEn] = part === "folder" ? ["目录名", "folder"] : ["文件名", "file name"];
  const odd = suspiciousCharacters(value);
  return msg(
    `${label} "${value}" 只能包含小写英文字母、数字和连字符${odd.zh.length ? `，其中含有${odd.zh.join("、")}` : ""}。请用英文半角重新命名${part === "file" ? "（如 reading-room.yaml）" : ""}。`,
    `The ${labelEn} "${value}" may use only lowercase a-z, 0-9 and '-'${odd.en.length ? `; it contains ${odd.en.join(", ")}` : ""}. Rename it in plain ASCII${part === "file" ? " (e.g. reading-room.yaml)" : ""}.`,
  );
}

export const filingId: FilingRule = {
  scope: "filing",
  id: "filing-id",
  severity: "error",
  check(f, ctx) {
    const parts = filingPathParts(f.file);
    if (!parts) return [];
    // A file name that cannot be used (filing-location says so), or a folder that is no department
    // (filing-department says where the file belongs; a code always makes a usable folder name): the
    // id it would make is no fix.
    if (!NAME.test(parts.name) || !ctx.departments.has(parts.folder) || parts.folder !== f.filing.department) return [];
    const expected = `${parts.folder}-${parts.name}`;
    if (f.filing.id === expected) return [];
    return [
      at(f, ["id"], msg(
        `备案编号 id 为 "${f.filing.id}"，但按文件位置应为 "${expected}"（部门代码-文件名）。请改为 id: ${expected}，或重命名文件。`,
        `id is "${f.filing.id}" but the file's location makes it "${expected}" (<department>-<file name>). Set id: ${expected} or rename the file.`,
      )),
    ];
  },
};

export const filingDepartment: FilingRule = {
  scope: "filing",
  id: "filing-department",
  severity: "error",
  check(f, ctx) {
    const { department } = f.filing;
    const found = [];
    if (!ctx.departments.has(department)) {
      const known = [...ctx.departments.keys()].join("、");
      found.push(
        at(f, ["department"], msg(
          `申请部门 "${department}" 不在部门名单（policies/departments.yaml）中。可用的部门代码：${known}。新部门请联系信息中心登记。`,
          `Department "${department}" is not in policies/departments.yaml. Known: ${[...ctx.departments.keys()].join(", ")}. Ask the information center to add a new one.`,
        )),
      );
    }
    const parts = filingPathParts(f.file);
    if (parts && parts.folder !== department) {
      // A folder that is no department's code: the file is in the wrong place, and the department says which.
      const stray = !ctx.departments.has(parts.folder) && ctx.departments.has(department);
      found.push(
        at(f, ["department"], stray
          ? msg(
            `文件在目录 filings/${parts.folder}/ 下，但 ${parts.folder} 不是部门代码。部门 ${department}（${ctx.departments.get(department)!.name}）的备案请放在 filings/${department}/ 目录中。`,
            `The file is under filings/${parts.folder}/, but ${parts.folder} is no department's code. Department ${department}'s filings belong in filings/${department}/.`,
          )
          : ctx.departments.has(department) && ctx.departments.has(parts.folder)
            ? msg(
              `申请部门为 ${department}（${ctx.departments.get(department)!.name}），但文件在 ${parts.folder}（${ctx.departments.get(parts.folder)!.name}）的目录 filings/${parts.folder}/ 下。请把文件移到 filings/${department}/；只有确是${ctx.departments.get(parts.folder)!.name}的服务器时，才把 department 改为 ${parts.folder}。`,
              `department is ${department}, but the file is in ${parts.folder}'s folder filings/${parts.folder}/. Move it to filings/${department}/; set department: ${parts.folder} only if the server is really ${parts.folder}'s.`,
            )
            : msg(
              `申请部门为 "${department}"，但文件在目录 filings/${parts.folder}/ 下。部门只能在自己的目录中提交备案。`,
              `department is "${department}" but the file is under filings/${parts.folder}/. A department files only in its own folder.`,
            )),
      );
    }
    return found;
  },
};

/**
 * A department written by its name (图书馆) where its code belongs: the code, when exactly one
 * department of the config has that name (or that name in English letters' case).
 */
export function departmentCodeFor(written: string, departments: ReadonlyMap<string, { readonly name: string }>): string | undefined {
  const said = written.trim();
  const codes = [...departments].filter(([code, d]) => d.name === said || code === said.toLowerCase()).map(([code]) => code);
  return codes.length === 1 && codes[0] !== said ? codes[0] : undefined;
}
