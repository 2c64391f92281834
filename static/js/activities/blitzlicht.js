// Blitzlicht: one short statement (and optionally a mood) per person; the wall fills live; the
// facilitator spotlights statements and hides off-topic ones.
import { t } from "../live.js";
import { $, announce, commander, h } from "../view.js";

function moodButtons(scale, chosen, name) {
  const [min, max] = scale;
  const options = [];
  for (let value = min; value <= max; value += 1) {
    const id = `${name}-${value}`;
    options.push(
      h("span", { class: "mood-option" },
        h("input", { type: "radio", name, id, value, checked: chosen === value }),
        h("label", { for: id }, String(value))),
    );
  }
  return h("fieldset", { class: "mood" },
    h("legend", {}, t("blitz.mood", { min, max })),
    h("div", { class: "mood-options" }, ...options));
}

function wall(list, statements, { moderation = false, onHide, onSpotlight } = {}) {
  list.replaceChildren(
    ...statements.map((s) =>
      h("li", { class: `statement${s.is_hidden ? " is-hidden" : ""}` },
        h("p", {}, s.text),
        s.mood ? h("span", { class: "subtle" }, `${t("blitz.mood_short")}: ${s.mood}`) : "",
        moderation
          ? h("span", { class: "controls" },
              s.is_hidden ? h("span", { class: "badge" }, t("hidden")) : "",
              h("button", { type: "button", class: "small", "data-focus-key": `spot-${s.id}`, disabled: s.is_hidden,
                onclick: () => onSpotlight(s) }, t("blitz.spotlight"), h("span", { class: "visually-hidden" }, `: ${s.text}`)),
              h("button", { type: "button", class: "small", "data-focus-key": `hide-${s.id}`, onclick: () => onHide(s) },
                s.is_hidden ? t("show") : t("hide"), h("span", { class: "visually-hidden" }, `: ${s.text}`)))
          : ""),
    ),
  );
}

function moodSummary(moods) {
  if (!moods) return "";
  return h("p", { class: "moods" }, `${t("blitz.moods")}: `,
    Object.entries(moods).map(([value, count]) => `${value}: ${count}`).join(" · "));
}

export function participant(container, activity, data, live) {
  const view = activity.view;
  if (!container.firstChild) {
    const form = h("form", { class: "stack", "data-blitz-form": true },
      h("label", { for: "blitz-text" }, view.prompt),
      h("textarea", { id: "blitz-text", name: "text", maxlength: 280, rows: 3, required: true }),
      view.mood_scale ? moodButtons(view.mood_scale, null, "blitz-mood") : "",
      h("button", { type: "submit", class: "primary big" }, t("send")),
      h("p", { class: "feedback", role: "status", "data-blitz-feedback": true }));
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      const mood = form.querySelector("input[name=blitz-mood]:checked");
      const ack = await live.command("blitzlicht.submit", {
        text: form.elements.text.value, ...(mood ? { mood: Number(mood.value) } : {}),
      });
      const feedback = $("[data-blitz-feedback]", form);
      if (ack.ok) {
        data.me.activity = { statement: ack.statement };
        feedback.textContent = t("blitz.saved");
      } else {
        feedback.textContent = t("error", { message: ack.error.message });
      }
    });
    const mine = data.me?.activity?.statement;
    if (mine) {
      form.elements.text.value = mine.text;
      if (mine.mood) form.querySelector(`#blitz-mood-${mine.mood}`)?.setAttribute("checked", "");
    }
    container.append(
      h("section", { class: "card activity blitzlicht", "aria-labelledby": "blitz-heading" },
        h("h2", { id: "blitz-heading" }, t("kind.blitzlicht")), form,
        h("p", { class: "closed-note", "data-blitz-closed": true, hidden: true }, t("blitz.closed")),
        h("h3", {}, t("blitz.wall"), " ", h("span", { "data-blitz-count": true })),
        h("ul", { class: "wall", "data-blitz-wall": true })),
    );
  }
  const form = $("[data-blitz-form]", container);
  for (const field of form.elements) field.disabled = !view.is_open;
  $("[data-blitz-closed]", container).hidden = view.is_open;
  $("[data-blitz-count]", container).textContent = `(${view.count})`;
  wall($("[data-blitz-wall]", container), view.statements);
}

export function screen(container, activity) {
  const view = activity.view;
  if (!container.firstChild) {
    container.append(
      h("section", { class: "activity blitzlicht-screen" },
        h("h2", { class: "prompt" }, view.prompt),
        h("blockquote", { class: "spotlight", "data-spotlight": true, hidden: true }),
        h("ul", { class: "wall", "data-blitz-wall": true }),
        h("p", { class: "count", "data-blitz-count": true })),
    );
  }
  const spot = $("[data-spotlight]", container);
  spot.hidden = !view.spotlight;
  spot.textContent = view.spotlight ? view.spotlight.text : "";
  wall($("[data-blitz-wall]", container), view.statements.slice(-30));
  $("[data-blitz-count]", container).textContent = t("blitz.count", { n: view.count });
  const spotId = view.spotlight ? String(view.spotlight.id) : "";
  if (spotId && container.dataset.spot !== spotId) announce(view.spotlight.text);
  container.dataset.spot = spotId;
}

export function cockpit(container, activity, data, live) {
  const view = activity.view;
  const act = commander(live);
  if (!container.firstChild) {
    container.append(
      h("section", { class: "card activity", "aria-labelledby": "blitz-cockpit-heading" },
        h("h2", { id: "blitz-cockpit-heading" }, `${t("kind.blitzlicht")}: `, h("span", { "data-prompt": true })),
        h("div", { class: "controls" },
          h("button", { type: "button", "data-blitz-toggle": true }),
          h("button", { type: "button", "data-blitz-unspot": true, onclick: () => act("blitzlicht.spotlight", { statement_id: null }) },
            t("blitz.unspotlight"))),
        h("p", { "data-blitz-stats": true }),
        h("p", { "data-blitz-terms": true, class: "subtle" }),
        h("ul", { class: "wall moderation", "data-blitz-wall": true })),
    );
  }
  $("[data-prompt]", container).textContent = view.prompt;
  const toggle = $("[data-blitz-toggle]", container);
  toggle.textContent = view.is_open ? t("close_input") : t("open_input");
  toggle.onclick = () => act("activity.input.set", { item_id: activity.item_id, is_open: !view.is_open });
  $("[data-blitz-unspot]", container).hidden = !view.spotlight;
  const stats = $("[data-blitz-stats]", container);
  stats.replaceChildren(t("blitz.count", { n: view.count }),
    view.hidden_count ? ` · ${t("hidden_count", { n: view.hidden_count })}` : "", moodSummary(view.moods));
  $("[data-blitz-terms]", container).textContent = view.top_terms.length
    ? `${t("top_terms")}: ${view.top_terms.map((x) => `${x.term} (${x.count})`).join(", ")}` : "";
  const list = $("[data-blitz-wall]", container);
  const active = document.activeElement?.dataset?.focusKey;
  wall(list, view.statements, {
    moderation: true,
    onHide: (s) => act("blitzlicht.hide", { statement_id: s.id, is_hidden: !s.is_hidden }),
    onSpotlight: (s) => act("blitzlicht.spotlight", { statement_id: s.id }),
  });
  if (active) list.querySelector(`[data-focus-key="${CSS.escape(active)}"]`)?.focus();
}
