/**
 * The desk's one script: as a field is typed, the whole form is checked on the server (the same
 * rules as `filing validate`) and each message is shown beside its field. Without it the form still
 * works: the server checks again on submit.
 */
interface Answer {
  problems: { field: string | null; severity: string; rule: string; message: string }[];
  normalised: { field: string; text: string }[];
  freeIp: string | null;
  /** For a change: old → new per field, and the roles that must sign. */
  changes?: string[];
  signers?: string[];
  /** How many things are still to fix, in words; null when none. */
  summary: string | null;
}

const form = document.getElementById("filing-form") as HTMLFormElement | null;
const token = document.querySelector<HTMLMetaElement>('meta[name="csrf-token"]')?.content ?? "";

function show(answer: Answer): void {
  for (const box of Array.from(document.querySelectorAll<HTMLElement>(".msg[data-for]"))) box.replaceChildren();
  const general = document.querySelector<HTMLElement>(".msg.general");
  general?.replaceChildren();
  const put = (field: string | null, cls: string, text: string) => {
    const box = (field && document.querySelector<HTMLElement>(`.msg[data-for="${CSS.escape(field)}"]`)) || general || document.querySelector<HTMLElement>('.msg[data-for="name"]');
    if (!box) return;
    const p = document.createElement("p");
    p.className = cls;
    p.textContent = text;
    box.appendChild(p);
  };
  // "Fill this in" waits until the field was touched, or the form was submitted once.
  // "Nothing is changed yet" too: a change form opens with nothing changed.
  const shown = answer.problems.filter((p) => (p.rule !== "schema-required" || !p.field || touched.has(p.field) || submitted) && (p.rule !== "no-change" || touched.size > 0 || submitted));
  for (const p of shown) put(p.field, p.severity, p.message);
  // The count at the top (after a refused submit) follows what is still wrong, and goes when nothing is.
  const summary = document.querySelector<HTMLElement>(".notice.summary");
  if (summary) {
    if (answer.summary) summary.textContent = answer.summary;
    else summary.remove();
  }
  for (const n of answer.normalised) put(n.field, "note", n.text);
  const changes = document.getElementById("changes");
  if (changes && answer.changes) {
    const none = changes.dataset.none ?? "";
    changes.replaceChildren(...(answer.changes.length ? answer.changes : [none]).map((line) => {
      const li = document.createElement("li");
      li.textContent = line;
      if (!answer.changes!.length) li.className = "none";
      return li;
    }));
    const signers = document.getElementById("signers");
    if (signers) signers.textContent = answer.signers?.length ? answer.signers.join(document.documentElement.lang === "en" ? ", " : "、") : "—";
  }
  const ip = document.querySelector<HTMLElement>('.msg[data-for="network.ip"]');
  const input = form?.querySelector<HTMLInputElement>('input[name="network.ip"]');
  if (ip && input && answer.freeIp && input.value.trim() === "") {
    const b = document.createElement("button");
    b.type = "button";
    b.className = "suggest";
    b.textContent = `${document.documentElement.lang === "en" ? "Use the free address" : "使用空闲地址"} ${answer.freeIp}`;
    b.addEventListener("click", () => {
      input.value = answer.freeIp!;
      schedule();
    });
    ip.appendChild(b);
  }
}

function physical(): void {
  const type = form?.querySelector<HTMLSelectElement>('select[name="type"]')?.value;
  for (const el of Array.from(document.querySelectorAll<HTMLElement>(".physical"))) el.hidden = type !== "physical";
}

const touched = new Set<string>();
const submitted = document.querySelector(".msg p.error") !== null;
let timer: number | undefined;
let sent = 0;
function schedule(): void {
  window.clearTimeout(timer);
  timer = window.setTimeout(check, 200);
}

async function check(): Promise<void> {
  if (!form) return;
  const mine = ++sent;
  const body = new URLSearchParams();
  for (const [k, v] of new FormData(form).entries()) if (typeof v === "string" && k !== "_csrf") body.append(k, v);
  const res = await fetch("/api/check", { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded", "x-csrf-token": token }, body, credentials: "same-origin" });
  // An answer to an older keystroke is not shown over a newer one.
  if (mine !== sent || !res.ok) return;
  show((await res.json()) as Answer);
  form.dataset.checked = String(mine);
}

if (form) {
  form.addEventListener("input", (e) => {
    const name = (e.target as HTMLInputElement | null)?.name;
    if (name) touched.add(name);
    physical();
    schedule();
  });
  form.addEventListener("change", () => {
    physical();
    schedule();
  });
  physical();
  // A change starts from the filing: what it changes and who signs are shown before anything is typed.
  // Not over a refused submission's own messages (a request already waiting, a file changed meanwhile).
  if (form.querySelector('input[name="action"]') && !submitted) void check();
}

// A form that asks first (撤回): the question is the page's own, in its language.
for (const f of Array.from(document.querySelectorAll<HTMLFormElement>("form[data-confirm]"))) {
  f.addEventListener("submit", (e) => {
    if (!window.confirm(f.dataset.confirm ?? "")) e.preventDefault();
  });
}
