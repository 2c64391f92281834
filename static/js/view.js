// Rendering helpers shared by the live views. Text goes in with textContent only: user text is
// never parsed as HTML.
import { serverNow, t } from "./live.js";

export const $ = (selector, root = document) => root.querySelector(selector);
export const $$ = (selector, root = document) => Array.from(root.querySelectorAll(selector));

export function setText(selector, text, root = document) {
  for (const el of $$(selector, root)) el.textContent = text ?? "";
}

/** Create an element with attributes and children (strings become text nodes). */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === null || value === undefined || value === false) continue;
    if (key === "class") el.className = value;
    else if (key === "dataset") Object.assign(el.dataset, value);
    else if (key.startsWith("on")) el.addEventListener(key.slice(2), value);
    else el.setAttribute(key, value === true ? "" : value);
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return el;
}

const locale = document.documentElement.lang || "de";

/** "09:40" in the workshop's time zone. */
export function clock(iso, timeZone) {
  if (!iso) return "";
  return new Intl.DateTimeFormat(locale, { hour: "2-digit", minute: "2-digit", timeZone }).format(new Date(iso));
}

/** 754 -> "12:34"; 3720 -> "1:02:00". */
export function duration(seconds) {
  const s = Math.abs(Math.trunc(seconds));
  const hh = Math.floor(s / 3600);
  const mm = Math.floor((s % 3600) / 60);
  const ss = s % 60;
  const pad = (n) => String(n).padStart(2, "0");
  return hh ? `${hh}:${pad(mm)}:${pad(ss)}` : `${pad(mm)}:${pad(ss)}`;
}

export function minutes(seconds) {
  return Math.round(seconds / 60);
}

export function driftText(seconds) {
  const m = Math.round(seconds / 60);
  if (m > 0) return t("drift_late", { n: m });
  if (m < 0) return t("drift_early", { n: -m });
  return t("on_time");
}

export function kindLabel(kind) {
  return t(`kind.${kind}`);
}

export function currentItem(agenda) {
  return agenda?.items.find((i) => i.id === agenda.current_id) || null;
}

export function nextItem(agenda) {
  return agenda?.items.find((i) => i.id === agenda.next_id) || null;
}

/** Seconds left on the running item's clock (negative while overrunning), or null. */
export function remaining(item) {
  if (!item) return null;
  if (item.status === "running" && item.ends_at) return Math.round((Date.parse(item.ends_at) - serverNow()) / 1000);
  if (item.status === "paused") return item.remaining_s;
  return null;
}

/**
 * Keeps a timer element up to date (text, colour phase) and announces the important moments
 * (20 % left, 5 % left, time up) through the page's polite live region — not every second.
 */
export class TimerDisplay {
  constructor(root = document) {
    this.root = root;
    this.item = null;
    this.phase = null;
    this.announcer = $("[data-announcer]");
    setInterval(() => this.tick(), 250);
  }

  show(item) {
    if (!item || !this.item || item.id !== this.item.id) this.phase = null;
    this.item = item;
    this.tick();
  }

  announce(text) {
    if (!this.announcer) return;
    this.announcer.textContent = "";
    setTimeout(() => (this.announcer.textContent = text), 50);
  }

  tick() {
    const item = this.item;
    const left = remaining(item);
    for (const timer of $$("[data-timer]", this.root)) {
      const text = $("[data-timer-text]", timer);
      const label = $("[data-timer-label]", timer);
      if (left === null) {
        timer.hidden = true;
        continue;
      }
      timer.hidden = false;
      const fraction = item.duration_s ? left / item.duration_s : 1;
      const phase = left < 0 ? "overrun" : fraction <= 0.05 ? "critical" : fraction <= 0.2 ? "warning" : "normal";
      timer.dataset.phase = phase;
      timer.classList.toggle("is-paused", item.status === "paused");
      text.textContent = (left < 0 ? "+" : "") + duration(left);
      label.textContent = item.status === "paused" ? t("paused") : left < 0 ? t("overrun") : t("time_left");
      if (this.phase !== null && phase !== this.phase) {
        if (phase === "overrun") this.announce(t("time_up"));
        else if (phase === "warning" || phase === "critical") {
          const m = Math.max(1, Math.ceil(left / 60));
          this.announce(m === 1 ? t("one_minute_left") : t("minutes_left", { n: m }));
        }
      }
      this.phase = phase;
    }
  }
}

/** Connection status line ("Verbunden" / "Verbindung verloren …"). */
export function showConnection(status) {
  for (const el of $$("[data-connection]")) {
    el.textContent = status === "connected" ? t("connected") : t("reconnecting");
    el.dataset.status = status;
  }
}

/** The server refused this page's connection (a revoked projector link, a member removed from
 * the team): say so instead of "reconnecting …" forever. */
export function showRefused() {
  for (const el of $$("[data-connection]")) {
    el.textContent = t("access_refused");
    el.dataset.status = "refused";
    el.setAttribute("role", "alert");
  }
}

/**
 * Whether a message is for this page: a message to everyone, or one to a single theme group on
 * a phone that shows that group's workspace (activities/breakout.js marks it with
 * data-workspace-group-id). The projector and everyone else ignore group messages.
 */
function broadcastIsForMe(message) {
  if (message.group_id === null || message.group_id === undefined) return true;
  return Boolean(document.querySelector(`[data-workspace-group-id="${CSS.escape(String(message.group_id))}"]`));
}

/** The latest facilitator message for this page, shown as a banner (and read out by screen readers). */
export function showBroadcast(data, reason) {
  const box = $("[data-broadcast]");
  if (!box) return;
  const mine = (data.broadcasts || []).filter(broadcastIsForMe);
  let latest = data.latestBroadcast && broadcastIsForMe(data.latestBroadcast) ? data.latestBroadcast : null;
  if (!latest && mine.length) {
    // after a reload (or once the phone knows its group): a message of the last 15 minutes is
    // still worth showing
    const last = mine[mine.length - 1];
    if (serverNow() - Date.parse(last.created_at) < 15 * 60 * 1000) latest = last;
  }
  if (!latest || box.dataset.id === String(latest.id)) return;
  box.dataset.id = latest.id;
  box.hidden = false;
  box.replaceChildren(h("strong", {}, t("message") + ": "), latest.text);
}

export function announce(text) {
  const el = $("[data-announcer]");
  if (!el) return;
  el.textContent = "";
  setTimeout(() => (el.textContent = text), 50);
}

/** Re-render `container` with `fn` and put keyboard focus back on the element with the same data-focus-key. */
export function preserveFocus(container, fn) {
  const active = document.activeElement;
  const key = active && container.contains(active) ? active.dataset.focusKey : null;
  fn();
  if (key) container.querySelector(`[data-focus-key="${CSS.escape(key)}"]`)?.focus();
}

/**
 * A cockpit action: runs a command and announces a refusal (or, if given, the success text)
 * through the page's live region. Resolves with the ack.
 */
export function commander(live) {
  return async (name, payload, success) => {
    const ack = await live.command(name, payload);
    if (!ack.ok) announce(t("error", { message: ack.error.message }));
    else if (success) announce(success);
    return ack;
  };
}

/** An app path as an absolute address (to copy into an e-mail or a chat). */
export function absolute(path) {
  if (!path) return "";
  try {
    return new URL(path, window.location.origin).href;
  } catch {
    return path;
  }
}

/** Copy an input's value; without a clipboard (no secure context) leave it selected for Ctrl+C. */
export async function copyText(input) {
  try {
    await navigator.clipboard.writeText(input.value);
  } catch {
    input.select(); // no clipboard outside a secure context: leave it selected for Ctrl+C
    return false;
  }
  return true;
}
