"use strict";
const D = JSON.parse(document.getElementById("data").textContent);
const E = D.edits.map((a, i) => ({i, id: a[0], rule: D.rules[a[1]][0], stage: D.rules[a[1]][1],
  reason: D.reasons[a[2]], conf: a[3], s: a[4], e: a[5], after: a[6], replaces: a[7], prop: !!a[8],
  kind: a[9], h: a[10], line: a[11], fix: a[12] >= 0 ? D.corrections[a[12]] : null, start: a[13]}));
const H = D.hunks.map((a, i) => ({i, src: a[0], edits: a[1].map(k => E[k]), start: a[2], left: a[3], el: null}));
for (const el of document.querySelectorAll("#doc .h")) H[+el.dataset.h].el = el;
const fixKey = f => f[0] + "\u0000" + f[1];
function decFrom(o) {
  return {reject: new Set(o.reject || []), accept: new Set(o.accept || []), rules: new Set(o.reject_rules || []),
    accFix: new Set((o.accept_corrections || []).map(c => fixKey([c.before, c.after]))),
    rejFix: new Set((o.reject_corrections || []).map(c => fixKey([c.before, c.after]))),
    edit: (o.edit || []).map(v => ({...v}))};
}
let dec = decFrom(D.decisions);
const STORE = `cleanup-review:${D.book}:${D.source_sha}`;
let BASE = "";  // the decisions the page was written with (set once the script has run)
const history = [];  // decisions before each action, for u
const seen = new Set();  // hunks the reviewer has been to (kept in the browser too)
const hunksOfRule = new Map();
for (const e of E) {
  if (!hunksOfRule.has(e.rule)) hunksOfRule.set(e.rule, new Set());
  hunksOfRule.get(e.rule).add(e.h);
}
let dirty = false, nav = [], cur = -1;

// -- the rules of document.visible_edits and render, on one hunk --------------------
// The most specific decision wins: an id, then a correction, then a rule.
function byFix(e, d) {
  if (!e.fix) return null;
  const k = fixKey(e.fix);
  return d.rejFix.has(k) ? false : d.accFix.has(k) ? true : null;
}
function rejected(e, d) {
  if (d.reject.has(e.id)) return true;
  if (d.accept.has(e.id)) return false;
  const f = byFix(e, d);
  return f !== null ? !f : d.rules.has(e.rule);
}
const accepted = (e, d) => d.accept.has(e.id) || (!d.reject.has(e.id) && byFix(e, d) === true);
const allows = (e, d) => (!e.prop || accepted(e, d)) && !rejected(e, d);
const pending = (e, d) => e.prop && !accepted(e, d) && !rejected(e, d);
const movesLineEnds = e => { const b = e.before.replace(/\r\n/g, "\n");  // document._moves_line_ends
  return b.split("\n").length !== e.after.split("\n").length
    || (b !== e.after && /[ \t]\n|\n[ \t]/.test(b) && /^[ \t\n]*$/.test(b)); };
function reading(text, left, keep) {  // document.rejected_reading
  return text.replace(/[ \t\r\f\v]*\n[ \t\n\r\f\v]*/g, (m, off) => (m.split("\n").length > 2 ? "\n\n"
    : keep ? "\n" : ((off ? text[off - 1] : left) === "-" ? "" : " ")));
}
const WS_CH = " \t\r\n\f\v";
function lineEndNeighbours(src, s, t) {  // document.line_end_neighbours
  const left = s > 0 && (src[s - 1] === "\n" || (s < t && WS_CH.includes(src[s]) && WS_CH.includes(src[s - 1])));
  const right = t < src.length && (src[t] === "\n" || (s < t && WS_CH.includes(src[t - 1]) && WS_CH.includes(src[t])));
  return [left, right];
}
function visible(edits, d, src, leftOfSrc = "") {
  const alive = new Map(), parent = new Map();
  for (const e of edits) for (const c of e.replaces) parent.set(c, e.id);
  for (const e of edits) alive.set(e.id, allows(e, d) && e.replaces.every(c => alive.get(c)));
  const shown = edits.filter(e => alive.get(e.id) && !(parent.has(e.id) && alive.get(parent.get(e.id))));
  const clashes = (taken, e) => taken.some(([s, t]) => (s < e.e && e.s < t) || (s === t && t === e.s && e.s === e.e));
  const hand = shown.filter(e => e.rule === "reviewer"), handSpans = hand.map(e => [e.s, e.e]);
  const applied = hand.concat(shown.filter(e => !e.prop && e.rule !== "reviewer" && !clashes(handSpans, e)));
  const taken = applied.map(e => [e.s, e.e]);
  for (const e of shown.filter(e => e.prop && e.rule !== "reviewer")) {
    if (!clashes(taken, e)) { applied.push(e); taken.push([e.s, e.e]); }
  }
  applied.sort((a, b) => a.s - b.s || a.e - b.e);
  if (src === undefined) return applied;
  // a change turned down that moved line ends reads per the output contract
  const down = edits.filter(e => !alive.get(e.id) && !e.prop && (e.before = src.slice(e.s, e.e), movesLineEnds(e))
    && !(parent.has(e.id) && alive.get(parent.get(e.id))));
  for (const x of down.sort((a, b) => a.s - b.s || b.e - a.e)) {
    let [s, t] = [x.s, x.e];
    const [gl, gr] = lineEndNeighbours(src, s, t);
    if (gl) while (s > 0 && WS_CH.includes(src[s - 1])) s--;
    if (gr) while (t < src.length && WS_CH.includes(src[t])) t++;
    const keep = x.before.replace(/\r\n/g, "\n").split("\n").length === x.after.split("\n").length;
    const e = {s, e: t};
    if (applied.some(a => a.read && a.s < e.e && e.s < a.e)) continue;
    if (applied.some(a => a.s < e.e && e.s < a.e && !(e.s <= a.s && a.e <= e.e))) continue;
    const inner = applied.filter(a => e.s <= a.s && a.e <= e.e);
    let text = "", k = e.s;
    for (const a of inner) { text += src.slice(k, a.s) + a.after; k = a.e; }
    text += src.slice(k, e.e);
    const r = {id: x.id, s: e.s, e: e.e, after: reading(text, e.s ? src[e.s - 1] : leftOfSrc, keep), read: true};
    applied.splice(0, applied.length, ...applied.filter(a => !inner.includes(a)), r);
    applied.sort((a, b) => a.s - b.s || a.e - b.e);
  }
  return applied;
}
function renderSlice(src, edits, d, left = "") {
  let out = "", pos = 0;
  for (const e of visible(edits, d, src, left)) { out += src.slice(pos, e.s) + e.after; pos = e.e; }
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
function mark(tag, toks, other) {  // report._mark: the letters that differ in <b>
  if (!toks.length) return "";
  if (toks.every(isWs)) {
    if (toks.some(t => norm(t) === "\u00b6")) return `<${tag} class="pb">\u00b6</${tag}>`;
    return tag === "ins" ? " " : "";
  }
  const text = Array.from(toks.map(norm).join(""));  // code points, as Python counts
  if (!other.length || other.every(isWs)) return `<${tag}>${esc(text.join(""))}</${tag}>`;
  const o = Array.from(other.map(norm).join(""));
  let p = 0, s = 0;
  while (p < text.length && p < o.length && text[p] === o[p]) p++;
  while (s < text.length - p && s < o.length - p && text[text.length - 1 - s] === o[o.length - 1 - s]) s++;
  if (2 * (text.length - p - s) > text.length || 2 * (o.length - p - s) > o.length)
    return `<${tag}>${esc(text.join(""))}</${tag}>`;  // most of the word changed
  const mid = text.slice(p, text.length - s).join("");
  return `<${tag}>${esc(text.slice(0, p).join(""))}${mid ? `<b>${esc(mid)}</b>` : ""}`
    + `${esc(text.slice(text.length - s).join(""))}</${tag}>`;
}
function markup(old, neu) {
  const a = tokens(old), b = tokens(neu), na = a.map(norm), nb = b.map(norm);
  let p = 0, s = 0;
  while (p < a.length && p < b.length && na[p] === nb[p]) p++;
  while (s < a.length - p && s < b.length - p && na[a.length - 1 - s] === nb[b.length - 1 - s]) s++;
  const gone = a.slice(p, a.length - s), came = b.slice(p, b.length - s);
  return b.slice(0, p).map(plainTok).join("") + mark("del", gone, came)
    + mark("ins", came, gone) + b.slice(b.length - s).map(plainTok).join("");
}
// Hand corrections typed in this page over a hunk (not yet in the log: `apply` logs them as
// rule `reviewer`) join its edits, as document.visible_edits puts them first.
function withTyped(h) {
  const n = cpLen(h.src);
  const typed = dec.edit.filter(v => v.start >= h.start && v.end <= h.start + n
    && !E.some(e => e.rule === "reviewer" && e.start === v.start && e.after === v.text));
  if (!typed.length) return h.edits;
  const u16 = k => Array.from(h.src).slice(0, k).join("").length;
  return h.edits.concat(typed.map(v => ({id: `typed:${v.start}`, rule: "reviewer", s: u16(v.start - h.start),
    e: u16(v.end - h.start), after: v.text, replaces: [], prop: false})));
}
function hunkState(h) {
  const edits = withTyped(h);
  const cur = renderSlice(h.src, edits, dec, h.left);
  const waiting = h.edits.filter(e => pending(e, dec)).map(e => e.id);
  if (waiting.length) {
    const sugg = renderSlice(h.src, edits, {...dec, accept: new Set([...dec.accept, ...waiting])}, h.left);
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
  if (dec.reject.has(e.id)) return "rejected";
  if (rejected(e, dec)) return byFix(e, dec) === false ? "rejected with its correction" : "rejected with its whole rule";
  const vis = visible(H[e.h].edits, dec);
  if (vis.includes(e)) return e.prop ? "proposal, accepted" : (accepted(e, dec) ? "accepted" : "applied");
  if (e.prop && !accepted(e, dec)) return "proposal, not applied unless accepted";
  const parent = H[e.h].edits.find(p => p.replaces.includes(e.id) && vis.includes(p));
  if (parent) return `applied as part of ${parent.id} (${parent.rule})`;
  if (e.replaces.length) return "off: it builds on a change that is rejected";
  // a later stage's change runs through it (the run read the text without it): `cleanup
  // apply` cleans again with the decisions, and the later stages then read it (README)
  if (e.prop && accepted(e, dec)) return "accepted: takes effect when `cleanup apply` cleans again with it";
  return "off: it clashes with an applied change";
}
// whitespace made visible in the panel: a line end, a space, a tab; nothing at all is "(nothing)"
const wsShown = t => t === "" ? "(nothing)" : /^\s+$/.test(t)
  ? t.replace(/\n/g, "\u23ce").replace(/ /g, "\u00b7").replace(/\t/g, "\u21e5") : t.replace(/\n/g, "\u23ce");
function pageOf(e) {  // the scan's printed page number before the change, if it printed any
  let n = null;
  for (const [at, num] of D.pages) { if (at > e.start) break; n = num; }
  return n === null ? "" : `, after p. ${n}`;
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
      + `<b>${esc(e.rule)}</b> (${esc(e.stage)}) \u00b7 confidence ${e.conf} \u00b7 line ${e.line}${pageOf(e)} \u00b7 `
      + `id <code>${esc(e.id)}</code> \u00b7 <span class="state">${esc(stateOf(e))}</span><br>`
      + `<code>${esc(wsShown(before))}</code> \u2192 <code>${esc(wsShown(e.after))}</code> \u2014 ${esc(e.reason)} `
      + `<button type="button" data-act="accept" data-id="${esc(e.id)}">accept</button> `
      + `<button type="button" data-act="reject" data-id="${esc(e.id)}">reject</button> `
      + `<button type="button" data-act="clear" data-id="${esc(e.id)}">undecide</button> `
      + `<button type="button" data-act="reject-rule" data-id="${esc(e.id)}">reject rule ${esc(e.rule)}</button>`
      + (e.fix && sameFix(e).length > 1 ? ` <button type="button" data-act="reject-fix" data-id="${esc(e.id)}">reject every `
        + `${esc(e.fix[0])} \u2192 ${esc(e.fix[1])} (\u00d7${sameFix(e).length})</button>`
        + ` <button type="button" data-act="accept-fix" data-id="${esc(e.id)}">accept every</button>` : "")
      + ` <button type="button" data-act="hand" data-id="${esc(e.id)}">type a correction</button></div>`;
  });
  const open = nav.filter(e => !decided(e)).length;
  box.innerHTML = `<div class="progress">change ${cur + 1} of ${nav.length}, ${open} undecided</div>` + rows.join("")
    + (note ? `<div class="note">${esc(note)}</div>` : "");
}
const decided = e => accepted(e, dec) || rejected(e, dec);
const sameFix = e => E.filter(x => x.fix && fixKey(x.fix) === fixKey(e.fix));
function tally() {
  const n = s => s.size;
  document.getElementById("tally").textContent = `${n(dec.reject)} rejected, ${n(dec.accept)} accepted, `
    + `${n(dec.rules)} rules rejected, ${n(dec.rejFix) + n(dec.accFix)} corrections decided, `
    + `${dec.edit.length} typed` + (dirty ? " \u2014 saved in this browser, not exported yet" : "");
  for (const tr of document.querySelectorAll("#rules tr[data-rule]")) {
    const rule = tr.dataset.rule;
    const k = E.filter(e => e.rule === rule && dec.reject.has(e.id)).length;
    tr.querySelector(".rejected-n").textContent = k || "";
    tr.classList.toggle("rejected", dec.rules.has(rule));
    tr.querySelector(".rule-on").checked = !dec.rules.has(rule);
  }
}

// -- decisions ------------------------------------------------------------------------
function snapshot() {
  return {...dec, reject: new Set(dec.reject), accept: new Set(dec.accept), rules: new Set(dec.rules),
    accFix: new Set(dec.accFix), rejFix: new Set(dec.rejFix), edit: dec.edit.map(v => ({...v}))};
}
function changed(hunkIds) {
  dirty = true;
  for (const i of hunkIds) refreshHunk(H[i]);
  for (const el of document.querySelectorAll("#doc .unk")) showUnknown(el);
  showTyped();
  tally();
  try {  // with the decisions this page was written with, which the work was made on top of
    localStorage.setItem(STORE, JSON.stringify({base: BASE, now: decisionsJson()}));
  } catch (err) { /* storage off: export still works */ }
}
function decide(e, what) {
  history.push(snapshot());
  dec.reject.delete(e.id); dec.accept.delete(e.id);
  if (what === "accept") dec.accept.add(e.id);
  if (what === "reject") dec.reject.add(e.id);
  changed([e.h]);
  showPanel();
}
function setRule(rule, rejected) {
  history.push(snapshot());
  if (rejected) dec.rules.add(rule); else dec.rules.delete(rule);
  changed(hunksOfRule.get(rule) || []);
  showPanel();
}
function setFix(e, accept) {
  history.push(snapshot());
  const k = fixKey(e.fix);
  (accept ? dec.accFix : dec.rejFix).add(k); (accept ? dec.rejFix : dec.accFix).delete(k);
  dec.reject.delete(e.id); dec.accept.delete(e.id);
  changed(new Set(sameFix(e).map(x => x.h)));
  showPanel(`${accept ? "Accepted" : "Rejected"} ${sameFix(e).length} changes ${e.fix[0]} \u2192 ${e.fix[1]}; u undoes it.`);
}
function undo() {
  if (!history.length) { showPanel("Nothing to undo."); return; }
  dec = history.pop();
  changed(H.map(h => h.i));
  showPanel("Undone.");
}
function acceptRuleProposals(rule) {  // a rejected rule stays rejected: accepting wins per change
  history.push(snapshot());
  for (const e of E) if (e.rule === rule && e.prop) { dec.accept.add(e.id); dec.reject.delete(e.id); }
  changed(hunksOfRule.get(rule) || []);
  showPanel();
}
function handEdit(v) {  // a hand correction over a stretch of the scan; one per stretch
  history.push(snapshot());
  dec.edit = dec.edit.filter(x => !(x.start < v.end && v.start < x.end)).concat([v]);
  changed(H.filter(h => h.start < v.end && v.start < h.start + cpLen(h.src)).map(h => h.i));
}
function decisionsJson() {
  const sorted = s => [...s].sort();
  const fixes = s => [...s].sort().map(k => { const [b, a] = k.split("\u0000"); return {before: b, after: a}; });
  const obj = {book: D.book || undefined, reject: sorted(dec.reject), accept: sorted(dec.accept),
    reject_rules: sorted(dec.rules)};
  if (dec.accFix.size) obj.accept_corrections = fixes(dec.accFix);
  if (dec.rejFix.size) obj.reject_corrections = fixes(dec.rejFix);
  if (dec.edit.length) obj.edit = [...dec.edit].sort((a, b) => a.start - b.start || a.end - b.end);
  return JSON.stringify(obj, null, 1) + "\n";
}
// -- unknown words: marked as a spell checker marks them; a suggestion is one click -----
function showUnknown(el) {
  const s = +el.dataset.s, word = D.unknown[+el.dataset.u][0];
  const v = dec.edit.find(x => x.start === s && x.before === word);
  const html = v ? `<del>${esc(word)}</del><ins>${esc(v.text)}</ins>` : esc(word);
  if (el.innerHTML !== html) el.innerHTML = html;
  el.classList.toggle("fixed", !!v);
}
function askUnknown(el) {
  const s = +el.dataset.s, [word, sugg] = D.unknown[+el.dataset.u];
  for (const x of document.querySelectorAll("#doc .unk.cur, #doc .h.cur")) x.classList.remove("cur");
  el.classList.add("cur");
  el.scrollIntoView({block: "center"});
  document.getElementById("current").innerHTML = `<div>unknown word <code>${esc(word)}</code> (no lexicon knows it)</div>`
    + sugg.map(w => `<button type="button" data-fix="${esc(w)}">${esc(w)}</button> `).join("")
    + `<form id="hand"><input id="hand-text" value="${esc(word)}" aria-label="correction"> <button>correct</button></form>`;
  const box = document.getElementById("current");
  box.dataset.s = s; box.dataset.word = word;
}
function nextUnknown() {
  const all = [...document.querySelectorAll("#doc .blk:not(.filtered) .unk")];
  if (!all.length) return;
  const at = all.findIndex(x => x.classList.contains("cur"));
  askUnknown(all[(at + 1) % all.length]);
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
// -- a hand correction of any stretch: select it, type what it should read ---------------
// The unchanged text keeps the scan's characters (whitespace too); a paragraph break or an
// odd whitespace run holds its run (data-ws); hunks, unknown words and hand corrections
// know their source spans. So a point of the page maps back to an offset of the scan.
const cpLen = t => Array.from(t).length;
const wsRun = el => String.fromCharCode(...el.dataset.ws.split(",").map(Number));
function pieces(p) {  // [node, source start, source end, source text] of each child of a paragraph
  const out = [];
  let pos = +p.closest(".blk").dataset.s;
  for (const n of p.childNodes) {
    let s = pos, text;
    if (n.nodeType === 3) text = n.data;
    else if (n.dataset && n.dataset.ws) text = wsRun(n);
    else if (n.classList && n.classList.contains("h")) { const h = H[+n.dataset.h]; s = h.start; text = h.src; }
    else if (n.classList && n.classList.contains("unk")) { s = +n.dataset.s; text = D.unknown[+n.dataset.u][0]; }
    else if (n.classList && n.classList.contains("hand")) { s = +n.dataset.s; text = n.dataset.before; }
    else continue;
    pos = s + cpLen(text);
    out.push([n, s, pos, text]);
  }
  return out;
}
function pointOf(p, container, offset, atEnd) {  // a DOM point → a source offset (a whole piece, or inside text)
  const list = pieces(p);
  let child = container;
  while (child && child.parentNode !== p) child = child.parentNode;
  if (container === p) {  // between children
    const next = list.find(([n]) => Array.prototype.indexOf.call(p.childNodes, n) >= offset);
    return next ? next[1] : (list.length ? list[list.length - 1][2] : +p.closest(".blk").dataset.s);
  }
  const hit = list.find(([n]) => n === child);
  if (!hit) return null;
  if (hit[0].nodeType === 3 && container === hit[0]) return hit[1] + cpLen(hit[0].data.slice(0, offset));
  return atEnd ? hit[2] : hit[1];
}
function sourceBetween(p, s, t) {
  let out = "";
  for (const [, a, b, text] of pieces(p)) {
    if (b <= s || a >= t) continue;
    const cps = Array.from(text);
    out += cps.slice(Math.max(0, s - a), Math.min(cps.length, t - a)).join("");
  }
  return out;
}
function selectionSpan() {
  const sel = window.getSelection();
  if (!sel.rangeCount || sel.isCollapsed) return null;
  const r = sel.getRangeAt(0);
  const p1 = (r.startContainer.nodeType === 1 ? r.startContainer : r.startContainer.parentElement).closest(".blk p");
  const p2 = (r.endContainer.nodeType === 1 ? r.endContainer : r.endContainer.parentElement).closest(".blk p");
  if (!p1 || p1 !== p2) return null;
  const s = pointOf(p1, r.startContainer, r.startOffset, false), t = pointOf(p1, r.endContainer, r.endOffset, true);
  if (s === null || t === null || t <= s) return null;
  return {p: p1, start: s, end: t, before: sourceBetween(p1, s, t)};
}
function wrapHand(p, v) {  // show a hand correction over unchanged text: split, wrap, mark
  let list = pieces(p);
  for (const [n, a, b] of list) {  // split the text nodes its ends fall inside
    if (n.nodeType !== 3) continue;
    for (const x of [v.end, v.start]) {
      if (a < x && x < b) { n.splitText(Array.from(n.data).slice(0, x - a).join("").length); }
    }
  }
  list = pieces(p).filter(([, a, b]) => v.start <= a && b <= v.end && a < b);
  if (!list.length) return;
  const span = document.createElement("span");
  span.className = "hand";
  span.dataset.s = v.start; span.dataset.before = v.before;
  const del = document.createElement("del"), ins = document.createElement("ins");
  list[0][0].before(span);
  for (const [n] of list) del.append(n);
  ins.textContent = v.text;
  span.append(del, ins);
}
function showTyped() {  // the page's hand corrections over unchanged text, as dec.edit now has them
  for (const el of document.querySelectorAll("#doc .hand")) el.replaceWith(...el.querySelector("del").childNodes);
  for (const v of dec.edit) {
    const p = paragraphAt(v.start);
    if (p && !isShown(v)) wrapHand(p, v);
  }
}
function isShown(v) {  // already in the page: an unknown word's correction, or logged as a hunk
  return [...document.querySelectorAll("#doc .unk")].some(el => +el.dataset.s === v.start
      && D.unknown[+el.dataset.u][0] === v.before)
    || E.some(e => e.rule === "reviewer" && e.start === v.start)
    || H.some(h => h.start <= v.start && v.end <= h.start + cpLen(h.src))  // shown in its hunk (withTyped)
    || [...document.querySelectorAll("#doc .hand")].some(el => +el.dataset.s === v.start);
}
function paragraphAt(offset) {
  let best = null;
  for (const b of document.querySelectorAll("#doc .blk")) if (+b.dataset.s <= offset) best = b;
  return best && best.querySelector("p");
}
function askSelection() {
  const span = selectionSpan();
  if (!span) return false;
  const box = document.getElementById("current");
  box.dataset.s = span.start; box.dataset.word = span.before;
  box.innerHTML = `<div>your correction of <code>${esc(wsShown(span.before))}</code> (line breaks and spaces as the scan has them)</div>`
    + `<form id="hand"><input id="hand-text" value="${esc(span.before.replace(/\s+/g, " "))}" aria-label="correction"> `
    + `<button>correct</button></form>`;
  return true;
}

function restore() {  // decisions saved in this browser for this very scan, and what was seen
  try {
    for (const h of (localStorage.getItem(STORE + ":seen") || "").split(",")) {
      if (h && H[+h]) { seen.add(h); H[+h].el.classList.add("seen"); }
    }
  } catch (err) { /* storage off */ }
  BASE = decisionsJson();
  let saved = null;
  try { saved = JSON.parse(localStorage.getItem(STORE) || "null"); } catch (err) { return; }
  if (!saved || !saved.now || saved.now === BASE) return;
  const box = document.getElementById("restored");
  if (saved.base !== BASE) {  // made on a page written with other decisions (an apply since): ask
    box.innerHTML = "This browser holds decisions made on an earlier version of this page; this page was "
      + "written with other decisions (an <code>apply</code> since?). "
      + '<button type="button" id="restore-old">Restore the browser\'s</button>';
    box.hidden = false;
    document.getElementById("restore-old").addEventListener("click", () => { BASE = saved.base; useSaved(saved.now); });
    return;
  }
  useSaved(saved.now);
}
function useSaved(text) {
  try { history.push(snapshot()); dec = decFrom(JSON.parse(text)); } catch (err) { return; }
  for (const h of H) refreshHunk(h);
  for (const el of document.querySelectorAll("#doc .unk")) showUnknown(el);
  showTyped();
  const n = dec.reject.size + dec.accept.size + dec.rules.size + dec.accFix.size + dec.rejFix.size + dec.edit.length;
  const box = document.getElementById("restored");
  box.textContent = `Restored ${n} decisions saved in this browser for this scan (export with e to keep them in a file).`;
  box.hidden = false;
  dirty = true;
  tally();
}
function importDecisions(text) {
  let obj;
  try { obj = JSON.parse(text); } catch (err) { alert(`Not a decisions file: ${err.message}`); return; }
  const lists = ["reject", "accept", "reject_rules"], fixes = ["accept_corrections", "reject_corrections"];
  const listOf = (k, ok) => obj[k] === undefined || (Array.isArray(obj[k]) && obj[k].every(ok));
  const isFix = x => x && typeof x.before === "string" && typeof x.after === "string";
  const isEdit = x => x && Number.isInteger(x.start) && Number.isInteger(x.end) && x.start <= x.end
    && typeof x.before === "string" && typeof x.text === "string";
  if (!obj || typeof obj !== "object" || !lists.every(k => listOf(k, x => typeof x === "string"))
      || !fixes.every(k => listOf(k, isFix)) || !listOf("edit", isEdit)) {
    alert("Not a decisions file: expected lists of strings under reject, accept, reject_rules; of "
      + "{before, after} under accept_corrections, reject_corrections; of {start, end, before, text} under edit.");
    return;
  }
  history.push(snapshot());
  dec = decFrom(obj);
  changed(H.map(h => h.i)); showPanel();
}

// -- filters and navigation -------------------------------------------------------------
function passes(e, f) {
  return (!f.rule || e.rule === f.rule) && (!f.stage || e.stage === f.stage) && e.conf >= f.min
    && e.conf <= f.max && (!f.props || e.prop) && (f.layout || e.kind !== "layout") && (!f.open || !decided(e));
}
function applyFilters() {
  const v = id => document.getElementById(id);
  const f = {rule: v("f-rule").value, stage: v("f-stage").value, min: parseFloat(v("f-min").value) || 0,
    max: v("f-max").value === "" ? 1 : parseFloat(v("f-max").value), props: v("f-props").checked,
    layout: v("f-layout").checked, open: v("f-open").checked};
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
  for (const b of document.querySelectorAll("#doc .blk"))
    b.classList.toggle("filtered", !live.has(b) && !(b.querySelector(".unk") && !f.rule && !f.stage && !f.props && !f.open));
  cur = here ? nav.indexOf(here) : -1;
  if (cur < 0 && here) cur = Math.min(nav.length - 1, nav.findIndex(e => e.h >= here.h));
  select(cur, false);
}
function select(k, scroll = true) {
  for (const el of document.querySelectorAll("#doc .h.cur")) el.classList.remove("cur");
  cur = nav.length ? Math.max(-1, Math.min(k, nav.length - 1)) : -1;
  if (cur >= 0) {
    const el = H[nav[cur].h].el;
    el.classList.add("cur", "seen");
    if (!seen.has(el.dataset.h)) {
      seen.add(el.dataset.h);
      try { localStorage.setItem(STORE + ":seen", [...seen].join(",")); } catch (err) { /* storage off */ }
    }
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
    u: undo, R: () => here && setRule(here.rule, true), e: exportDecisions, w: nextUnknown,
    U: () => { const k = nav.findIndex((e, i) => i > cur && !decided(e)); if (k >= 0) select(k); }};
  if (acts[ev.key]) { ev.preventDefault(); acts[ev.key](); }
});
document.getElementById("current").addEventListener("click", ev => {
  const box = document.getElementById("current");
  const f = ev.target.closest("button[data-fix]");
  if (f) {
    const s = +box.dataset.s;
    handEdit({start: s, end: s + [...box.dataset.word].length, before: box.dataset.word, text: f.dataset.fix});
    return;
  }
  const b = ev.target.closest("button[data-act]");
  if (!b) return;
  const e = E.find(x => x.id === b.dataset.id);
  const act = b.dataset.act;
  if (act === "reject-rule") setRule(e.rule, true);
  else if (act === "reject-fix" || act === "accept-fix") setFix(e, act === "accept-fix");
  else if (act === "hand") {
    const h = H[e.h];
    box.dataset.s = h.start; box.dataset.word = h.src;
    box.insertAdjacentHTML("beforeend", `<form id="hand"><input id="hand-text" value="${esc(renderSlice(h.src, h.edits, dec, h.left))}"`
      + ` aria-label="correction"> <button>correct</button></form>`);
    document.getElementById("hand-text").focus();
  } else decide(e, act);
});
document.getElementById("current").addEventListener("submit", ev => {
  ev.preventDefault();
  const box = document.getElementById("current"), s = +box.dataset.s, before = box.dataset.word;
  const v = {start: s, end: s + [...before].length, before, text: document.getElementById("hand-text").value};
  handEdit(v);
  showPanel("Your correction is saved; it goes into the exported file.");
});
document.getElementById("doc").addEventListener("mouseup", () => {
  if (selectionSpan()) askSelection();
});
document.getElementById("doc").addEventListener("click", ev => {
  if (selectionSpan()) return;  // a selection: the correction form is open
  const u = ev.target.closest(".unk");
  if (u) { askUnknown(u); return; }
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
applyFilters();
restore();
tally();
document.body.dataset.ready = "1";
