"use strict";
const D = JSON.parse(document.getElementById("data").textContent);
const E = D.edits.map((a, i) => ({i, id: a[0], rule: D.rules[a[1]][0], stage: D.rules[a[1]][1],
  reason: D.reasons[a[2]], conf: a[3], s: a[4], e: a[5], after: a[6], replaces: a[7], prop: !!a[8],
  kind: a[9], h: a[10], line: a[11]}));
const H = D.hunks.map((a, i) => ({i, src: a[0], edits: a[1].map(k => E[k]), el: null}));
for (const el of document.querySelectorAll("#doc .h")) H[+el.dataset.h].el = el;
const dec = {reject: new Set(D.decisions.reject), accept: new Set(D.decisions.accept),
  rules: new Set(D.decisions.reject_rules)};
const hunksOfRule = new Map();
for (const e of E) {
  if (!hunksOfRule.has(e.rule)) hunksOfRule.set(e.rule, new Set());
  hunksOfRule.get(e.rule).add(e.h);
}
let dirty = false, nav = [], cur = -1;

// -- the rules of document.visible_edits and render, on one hunk --------------------
function visible(edits, d) {
  const byId = new Map(edits.map(e => [e.id, e])), parent = new Map(), memo = new Map();
  for (const e of edits) for (const c of e.replaces) parent.set(c, e.id);
  function alive(id) {
    if (!memo.has(id)) {
      const e = byId.get(id);
      const ok = (!e.prop || d.accept.has(id)) && !d.reject.has(id) && !d.rules.has(e.rule);
      memo.set(id, ok && e.replaces.every(c => byId.has(c) && alive(c)));
    }
    return memo.get(id);
  }
  const shown = edits.filter(e => alive(e.id) && !(parent.has(e.id) && alive(parent.get(e.id))));
  const applied = shown.filter(e => !e.prop), taken = applied.map(e => [e.s, e.e]);
  for (const e of shown.filter(e => e.prop)) {
    const clash = taken.some(([s, t]) => (s < e.e && e.s < t) || (s === t && t === e.s && e.s === e.e));
    if (!clash) { applied.push(e); taken.push([e.s, e.e]); }
  }
  return applied.sort((a, b) => a.s - b.s || a.e - b.e);
}
function renderSlice(src, edits, d) {
  let out = "", pos = 0;
  for (const e of visible(edits, d)) { out += src.slice(pos, e.s) + e.after; pos = e.e; }
  return out + src.slice(pos);
}

// -- word-level marks: the same as report.markup -------------------------------------
const WS_SPLIT = /([ \t\n\r\f\v]+)/, WS_FULL = /^[ \t\n\r\f\v]+$/;
const tokens = t => t.split(WS_SPLIT).filter(x => x !== "");
const isWs = t => WS_FULL.test(t);
const norm = t => isWs(t) ? ((t.split("\n").length - 1) >= 2 ? "\u00b6" : " ") : t;
const ESC = {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#x27;"};
const esc = s => s.replace(/[&<>"']/g, c => ESC[c]);
const plainTok = t => isWs(t) ? (norm(t) === "\u00b6" ? '<br class="pb">' : " ") : esc(t);
function mark(tag, toks) {
  if (!toks.length) return "";
  if (toks.every(isWs)) {
    if (toks.some(t => norm(t) === "\u00b6")) return `<${tag} class="pb">\u00b6</${tag}>`;
    return tag === "ins" ? " " : "";
  }
  return `<${tag}>${esc(toks.map(norm).join(""))}</${tag}>`;
}
function markup(old, neu) {
  const a = tokens(old), b = tokens(neu), na = a.map(norm), nb = b.map(norm);
  let p = 0, s = 0;
  while (p < a.length && p < b.length && na[p] === nb[p]) p++;
  while (s < a.length - p && s < b.length - p && na[a.length - 1 - s] === nb[b.length - 1 - s]) s++;
  return b.slice(0, p).map(plainTok).join("") + mark("del", a.slice(p, a.length - s))
    + mark("ins", b.slice(p, b.length - s)) + b.slice(b.length - s).map(plainTok).join("");
}
function hunkState(h) {
  const cur = renderSlice(h.src, h.edits, dec);
  const pending = h.edits.filter(e => e.prop && !dec.accept.has(e.id) && !dec.reject.has(e.id)
    && !dec.rules.has(e.rule)).map(e => e.id);
  if (pending.length) {
    const sugg = renderSlice(h.src, h.edits, {...dec, accept: new Set([...dec.accept, ...pending])});
    if (sugg !== cur) return ["prop", markup(h.src, sugg)];
  }
  return [cur !== h.src ? "chg" : "off", markup(h.src, cur)];
}
function refreshHunk(h) {
  const [state, html] = hunkState(h);
  h.el.classList.remove("chg", "off", "prop");
  h.el.classList.add(state);
  if (h.el.innerHTML !== html) h.el.innerHTML = html;
}

// -- state of one edit, for the panel ------------------------------------------------
function stateOf(e) {
  if (dec.rules.has(e.rule)) return "rejected with its whole rule";
  if (dec.reject.has(e.id)) return "rejected";
  const vis = visible(H[e.h].edits, dec);
  if (vis.includes(e)) return e.prop ? "proposal, accepted" : (dec.accept.has(e.id) ? "accepted" : "applied");
  if (e.prop && !dec.accept.has(e.id)) return "proposal, not applied unless accepted";
  const parent = H[e.h].edits.find(p => p.replaces.includes(e.id) && vis.includes(p));
  if (parent) return `applied as part of ${parent.id} (${parent.rule})`;
  if (e.replaces.length) return "off: it builds on a change that is rejected";
  return "off: it clashes with an applied change";
}
function showPanel(note) {
  const box = document.getElementById("current");
  if (cur < 0 || !nav.length) {
    box.textContent = nav.length ? "Press j for the first change." : "No changes match the filters.";
    return;
  }
  const here = nav[cur], h = H[here.h];
  const rows = h.edits.map(e => {
    const before = h.src.slice(e.s, e.e);
    return `<div class="edit${e === here ? " here" : ""}" data-id="${esc(e.id)}">`
      + `<b>${esc(e.rule)}</b> (${esc(e.stage)}) \u00b7 confidence ${e.conf} \u00b7 line ${e.line} \u00b7 `
      + `id <code>${esc(e.id)}</code> \u00b7 <span class="state">${esc(stateOf(e))}</span><br>`
      + `<code>${esc(before)}</code> \u2192 <code>${esc(e.after)}</code> \u2014 ${esc(e.reason)} `
      + `<button type="button" data-act="accept" data-id="${esc(e.id)}">accept</button> `
      + `<button type="button" data-act="reject" data-id="${esc(e.id)}">reject</button> `
      + `<button type="button" data-act="clear" data-id="${esc(e.id)}">undecide</button> `
      + `<button type="button" data-act="reject-rule" data-id="${esc(e.id)}">reject rule ${esc(e.rule)}</button></div>`;
  });
  box.innerHTML = `<div>change ${cur + 1} of ${nav.length}</div>` + rows.join("")
    + (note ? `<div class="note">${esc(note)}</div>` : "");
}
function tally() {
  const n = s => s.size;
  document.getElementById("tally").textContent = `${n(dec.reject)} rejected, ${n(dec.accept)} accepted, `
    + `${n(dec.rules)} rules rejected` + (dirty ? " \u2014 not exported yet" : "");
  for (const tr of document.querySelectorAll("#rules tr[data-rule]")) {
    const rule = tr.dataset.rule;
    const k = E.filter(e => e.rule === rule && dec.reject.has(e.id)).length;
    tr.querySelector(".rejected-n").textContent = k || "";
    tr.classList.toggle("rejected", dec.rules.has(rule));
    tr.querySelector(".rule-on").checked = !dec.rules.has(rule);
  }
}

// -- decisions ------------------------------------------------------------------------
function changed(hunkIds) {
  dirty = true;
  for (const i of hunkIds) refreshHunk(H[i]);
  tally();
}
function decide(e, what) {
  let note = "";
  dec.reject.delete(e.id); dec.accept.delete(e.id);
  if (what === "accept") dec.accept.add(e.id);
  if (what === "reject") dec.reject.add(e.id);
  if (what === "accept" && dec.rules.has(e.rule))
    note = `Rule ${e.rule} is rejected as a whole, which wins: tick it again to keep single changes.`;
  changed([e.h]);
  showPanel(note);
}
function setRule(rule, rejected) {
  if (rejected) dec.rules.add(rule); else dec.rules.delete(rule);
  changed(hunksOfRule.get(rule) || []);
  showPanel();
}
function acceptRuleProposals(rule) {
  for (const e of E) if (e.rule === rule && e.prop) { dec.accept.add(e.id); dec.reject.delete(e.id); }
  setRule(rule, false);
}
function decisionsJson() {
  const sorted = s => [...s].sort();
  const obj = {book: D.book || undefined, reject: sorted(dec.reject), accept: sorted(dec.accept),
    reject_rules: sorted(dec.rules)};
  return JSON.stringify(obj, null, 1) + "\n";
}
function exportDecisions() {
  const text = decisionsJson();
  document.getElementById("decisions-json").value = text;
  const a = document.createElement("a");
  a.href = URL.createObjectURL(new Blob([text], {type: "application/json"}));
  a.download = `${D.stem}.decisions.json`;
  document.body.appendChild(a); a.click(); a.remove();
  setTimeout(() => URL.revokeObjectURL(a.href), 10000);
  dirty = false; tally();
}
function importDecisions(text) {
  let obj;
  try { obj = JSON.parse(text); } catch (err) { alert(`Not a decisions file: ${err.message}`); return; }
  const lists = ["reject", "accept", "reject_rules"];
  if (!obj || typeof obj !== "object" || lists.some(k => obj[k] !== undefined
      && !(Array.isArray(obj[k]) && obj[k].every(x => typeof x === "string")))) {
    alert("Not a decisions file: expected lists of strings under reject, accept, reject_rules."); return;
  }
  dec.reject = new Set(obj.reject || []); dec.accept = new Set(obj.accept || []);
  dec.rules = new Set(obj.reject_rules || []);
  changed(H.map(h => h.i)); showPanel();
}

// -- filters and navigation -------------------------------------------------------------
function passes(e, f) {
  return (!f.rule || e.rule === f.rule) && (!f.stage || e.stage === f.stage) && e.conf >= f.min
    && e.conf <= f.max && (!f.props || e.prop) && (f.layout || e.kind !== "layout");
}
function applyFilters() {
  const v = id => document.getElementById(id);
  const f = {rule: v("f-rule").value, stage: v("f-stage").value, min: parseFloat(v("f-min").value) || 0,
    max: v("f-max").value === "" ? 1 : parseFloat(v("f-max").value), props: v("f-props").checked,
    layout: v("f-layout").checked};
  document.body.classList.toggle("show-layout", f.layout);
  const here = nav[cur];
  nav = [];
  const live = new Set();
  for (const h of H) {
    const ok = h.edits.filter(e => passes(e, f));
    h.el.classList.toggle("dim", !ok.length);
    if (ok.length) live.add(h.el.closest(".blk"));
    nav.push(...ok);
  }
  for (const b of document.querySelectorAll("#doc .blk")) b.classList.toggle("filtered", !live.has(b));
  cur = here ? nav.indexOf(here) : -1;
  if (cur < 0 && here) cur = Math.min(nav.length - 1, nav.findIndex(e => e.h >= here.h));
  select(cur, false);
}
function select(k, scroll = true) {
  for (const el of document.querySelectorAll("#doc .h.cur")) el.classList.remove("cur");
  cur = nav.length ? Math.max(-1, Math.min(k, nav.length - 1)) : -1;
  if (cur >= 0) {
    const el = H[nav[cur].h].el;
    el.classList.add("cur");
    if (scroll) el.scrollIntoView({block: "center"});
  }
  showPanel();
}
const move = step => select(cur < 0 ? (step > 0 ? 0 : nav.length - 1) : cur + step);

document.addEventListener("keydown", ev => {
  if (ev.ctrlKey || ev.metaKey || ev.altKey) return;
  if (ev.target.closest("input:not([type=checkbox]), textarea, select")) return;  // typing there
  const here = nav[cur];
  const acts = {j: () => move(1), n: () => move(1), k: () => move(-1), p: () => move(-1),
    a: () => here && decide(here, "accept"), r: () => here && decide(here, "reject"),
    u: () => here && decide(here, "clear"), R: () => here && setRule(here.rule, true), e: exportDecisions};
  if (acts[ev.key]) { ev.preventDefault(); acts[ev.key](); }
});
document.getElementById("current").addEventListener("click", ev => {
  const b = ev.target.closest("button[data-act]");
  if (!b) return;
  const e = E.find(x => x.id === b.dataset.id);
  if (b.dataset.act === "reject-rule") setRule(e.rule, true); else decide(e, b.dataset.act);
});
document.getElementById("doc").addEventListener("click", ev => {
  const el = ev.target.closest(".h");
  if (!el) return;
  const k = nav.findIndex(e => e.h === +el.dataset.h);
  if (k >= 0) select(k, false);
});
const titleOf = e => `${e.rule} (${e.stage}) \u00b7 confidence ${e.conf} \u00b7 ${e.reason} \u00b7 id ${e.id}`
  + (e.prop ? " \u00b7 proposal, not applied unless accepted" : "");
document.getElementById("doc").addEventListener("pointerover", ev => {
  const el = ev.target.closest(".h");
  if (el && !el.title) el.title = H[+el.dataset.h].edits.map(titleOf).join("\n");
});
document.getElementById("rules").addEventListener("change", ev => {
  if (ev.target.classList.contains("rule-on")) setRule(ev.target.dataset.rule, !ev.target.checked);
});
document.getElementById("rules").addEventListener("click", ev => {
  if (ev.target.classList.contains("accept-rule")) acceptRuleProposals(ev.target.dataset.rule);
});
document.getElementById("filters").addEventListener("input", applyFilters);
document.addEventListener("change", ev => {  // hand the keys back to the page after a choice
  if (ev.target.matches("select, input[type=checkbox]")) ev.target.blur();
});
document.getElementById("filters").addEventListener("submit", ev => ev.preventDefault());
document.getElementById("export").addEventListener("click", exportDecisions);
document.getElementById("import").addEventListener("change", ev => {
  const file = ev.target.files[0];
  if (file) file.text().then(importDecisions);
});
window.addEventListener("beforeunload", ev => { if (dirty) { ev.preventDefault(); ev.returnValue = ""; } });
applyFilters();
tally();
document.body.dataset.ready = "1";
