// The documentation page: start exports without leaving the page and follow their progress.
// The job list is polled (GET …/exports) about every second while a job is queued or running;
// its state lives in the database, so a reload shows the same list. Without JavaScript the
// form posts normally and the page shows the list as the server rendered it.
// User text goes in with textContent only.

const main = document.querySelector("[data-export-page]");
const list = document.querySelector("[data-export-jobs]");
const empty = document.querySelector("[data-export-empty]");
const form = document.querySelector("[data-export-form]");
const feedback = document.querySelector("[data-export-feedback]");
const strings = JSON.parse(document.getElementById("export-strings").textContent);
const csrf = document.querySelector('meta[name="csrf-token"]').content;
const timeZone = main.dataset.timezone || "Europe/Berlin";
const POLL_MS = 1000;

const ACTIVE = new Set(["queued", "running"]);
let known = new Map(); // job id -> state, to announce changes once
let timer = null;

function fill(template, values) {
  return template.replace(/%\((\w+)\)s/g, (_, key) => String(values[key] ?? "")).replace(/%%/g, "%");
}

function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === null || value === undefined || value === false) continue;
    if (key === "class") el.className = value;
    else el.setAttribute(key, value === true ? "" : value);
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return el;
}

function when(iso) {
  if (!iso) return "";
  const date = new Date(iso);
  const lang = document.documentElement.lang || "de";
  const day = new Intl.DateTimeFormat(lang, { day: "2-digit", month: "2-digit", year: "numeric", timeZone }).format(date);
  const time = new Intl.DateTimeFormat(lang, { hour: "2-digit", minute: "2-digit", timeZone }).format(date);
  return `${day}, ${time}`;
}

function percent(job) {
  return Math.round((job.progress || 0) * 100);
}

function stateText(job) {
  if (job.state === "running") return fill(strings.running, { percent: percent(job) }) + (job.step ? ` – ${job.step}` : "");
  if (job.state === "failed") return `${strings.failed}: ${job.error === "interrupted" ? strings.interrupted : job.error || ""}`;
  return strings[job.state] || job.state;
}

function jobItem(job) {
  const kind = job.anonymised ? strings.anonymised : strings.with_names;
  const item = h("li", { class: "export-job", "data-job-id": job.id, "data-state": job.state },
    h("p", { class: "export-job-head" }, h("strong", {}, job.format_label), " ", h("span", {}, kind), " ", h("span", {}, when(job.created_at))));
  if (ACTIVE.has(job.state)) {
    item.append(h("progress", { max: "100", value: String(percent(job)), "aria-label": `${strings.progress}: ${job.format_label}` }, `${percent(job)} %`));
  }
  item.append(h("p", { class: "export-job-state" }, stateText(job)));
  if (job.download_url) {
    const size = job.size ? `, ${Math.ceil(job.size / 1024)} kB` : "";
    item.append(h("a", { class: "button primary export-download", href: job.download_url, download: true },
      strings.download, h("span", { class: "visually-hidden" }, `: ${job.format_label}, ${kind}`), ` (${job.filename}${size})`));
  }
  return item;
}

/** Patch the list: rows that did not change stay as they are (keeps focus on a download link). */
function render(jobs) {
  const rows = new Map(Array.from(list.children).map((li) => [li.dataset.jobId, li]));
  const wanted = jobs.map((job) => {
    const row = rows.get(String(job.id));
    const fresh = jobItem(job);
    if (row && row.isEqualNode(fresh)) return row;
    if (row && row.contains(document.activeElement)) {
      row.replaceWith(fresh);
      fresh.querySelector("a, button")?.focus();
      return fresh;
    }
    return fresh;
  });
  list.replaceChildren(...wanted);
  empty.hidden = jobs.length > 0;
}

function announce(jobs) {
  for (const job of jobs) {
    const before = known.get(job.id);
    if (before && before !== job.state) {
      if (job.state === "done") feedback.textContent = fill(strings.announce_done, { format: job.format_label });
      if (job.state === "failed") feedback.textContent = fill(strings.announce_failed, { format: job.format_label });
    }
  }
  known = new Map(jobs.map((job) => [job.id, job.state]));
}

async function refresh() {
  timer = null;
  try {
    const response = await fetch(main.dataset.jobsUrl, { headers: { Accept: "application/json" }, credentials: "same-origin" });
    const body = await response.json();
    if (!body.ok) throw new Error(body.error?.message || response.statusText);
    announce(body.jobs);
    render(body.jobs);
    if (body.jobs.some((job) => ACTIVE.has(job.state))) schedule();
  } catch (err) {
    feedback.textContent = fill(strings.error, { message: err.message });
    schedule(POLL_MS * 5); // the server may be restarting: try again a little later
  }
}

function schedule(delay = POLL_MS) {
  if (timer === null) timer = setTimeout(refresh, delay);
}

form.addEventListener("submit", async (event) => {
  event.preventDefault();
  const data = new FormData(form);
  const button = form.querySelector("[data-export-start]");
  button.disabled = true;
  try {
    const response = await fetch(main.dataset.createUrl, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", Accept: "application/json", "X-CSRFToken": csrf },
      body: JSON.stringify({ format: data.get("format"), anonymised: data.get("anonymised") !== null }),
    });
    const body = await response.json();
    if (!body.ok) throw new Error(body.error?.message || response.statusText);
    feedback.textContent = strings.started;
    known.set(body.job.id, body.job.state);
    if (timer !== null) clearTimeout(timer);
    timer = null;
    await refresh();
  } catch (err) {
    feedback.textContent = fill(strings.error, { message: err.message });
  } finally {
    button.disabled = false;
  }
});

known = new Map(Array.from(list.children).map((li) => [Number(li.dataset.jobId), li.dataset.state]));
if (Array.from(list.children).some((li) => ACTIVE.has(li.dataset.state))) schedule();
