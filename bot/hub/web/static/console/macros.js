/* Macros in the reply box (issue 27.10): "/" at the start of the reply box opens a list of the macros
 * (an accessible listbox: the reply box keeps the focus and points at the highlighted option with
 * aria-activedescendant; the arrow keys only move the highlight, Enter or a click takes the macro,
 * Escape closes). The macro's text in the conversation's register, variables filled, replaces "/…";
 * sending then applies the macro in one step (text, tags, action) through its apply route. The button
 * "Makro einfügen" opens the same list for mouse users. */
import { byId as $, clear, el } from '../shared/dom.js';
import { closeListbox, moveHighlight, showListbox } from './listbox.js';
import { createMacroAdmin } from './macros-admin.js';
import { macroExtras, matchMacros, slashQuery, slashStart } from './macros-state.js';

const enc = encodeURIComponent;
const IDS = { popup: 'macro-popup', list: 'macro-list', status: 'macro-status' };

export function createMacros(S, call, hooks) {
  const state = { all: [], shown: [], active: -1, open: false, pending: null, loaded: false };
  const box = () => $('reply-text');

  async function load() {
    try {
      const d = await call('GET', '/agent/macros');
      state.all = d.macros || [];
      state.loaded = true;
    } catch (e) { hooks.showError(e.message); }
  }

  function render() {
    const list = clear($('macro-list'));
    state.shown.forEach((m, i) => {
      const extras = macroExtras(m, (k) => S.teamName ? S.teamName(k) : k);
      const option = el('li', {
        id: `macro-opt-${m.id}`, role: 'option', class: 'macro-option', 'aria-selected': String(i === state.active),
      }, [
        el('span', { class: 'macro-title', text: m.title }),
        m.scope === 'personal' ? el('span', { class: 'macro-scope small', text: ' (persönlich)' }) : null,
        extras ? el('span', { class: 'macro-extras small', text: ` – ${extras}` }) : null,
      ]);
      option.addEventListener('mousedown', (e) => { e.preventDefault(); choose(m); }); // keeps the focus in the box
      list.appendChild(option);
    });
    if (!state.shown.length) list.appendChild(el('li', { class: 'macro-empty muted', role: 'option', 'aria-disabled': 'true', text: 'Kein Makro passt.' }));
    const current = state.shown[state.active];
    if (current) {
      box().setAttribute('aria-activedescendant', `macro-opt-${current.id}`);
      const node = $(`macro-opt-${current.id}`);
      if (node && node.scrollIntoView) node.scrollIntoView({ block: 'nearest' });
    } else box().removeAttribute('aria-activedescendant');
    $('macro-status').textContent = state.shown.length
      ? `${state.shown.length} Makros. Pfeiltasten wählen, Eingabe übernimmt, Escape schließt.`
      : 'Kein Makro passt.';
  }

  function openList(query) {
    if (!state.loaded) load().then(() => { if (state.open) { state.shown = matchMacros(state.all, query); render(); } });
    state.shown = matchMacros(state.all, query);
    state.active = state.shown.length ? Math.min(Math.max(state.active, 0), state.shown.length - 1) : -1;
    showListbox(state, box(), IDS);
    render();
  }

  function closeList() { closeListbox(state, box(), IDS); }

  async function choose(m) {
    closeList();
    const id = S.openId;
    if (!id) return;
    let shown;
    try {
      shown = await call('GET', `/agent/conversations/${enc(id)}/macros/${m.id}/preview`);
    } catch (e) { hooks.showError(e.message); return; }
    if (S.openId !== id) return;
    const ta = box();
    const caret = ta.selectionStart != null ? ta.selectionStart : ta.value.length;
    const start = slashQuery(ta.value, caret) != null ? slashStart(ta.value, caret) : caret;
    ta.value = ta.value.slice(0, start) + shown.text + ta.value.slice(caret);
    ta.focus();
    ta.selectionStart = ta.selectionEnd = start + shown.text.length;
    state.pending = { macro: m, conversation: id };
    renderPending(shown.missing || []);
  }

  function renderPending(missing) {
    const chip = $('macro-chip');
    const p = state.pending;
    chip.hidden = !p;
    if (!p) { clear(chip); return; }
    const extras = macroExtras(p.macro, (k) => S.teamName ? S.teamName(k) : k);
    clear(chip).append(
      el('span', { text: `Makro „${p.macro.title}“${extras ? `: ${extras}` : ''}` }),
      missing.length ? el('span', { class: 'macro-missing', text: ` Bitte ergänzen: ${missing.map((v) => VARIABLE_NAMES[v] || v).join(', ')}.` }) : null,
      el('button', { type: 'button', class: 'small', id: 'macro-drop', text: 'Makro entfernen', onclick: () => { drop(); box().focus(); } }),
    );
    hooks.announce(`Makro ${p.macro.title} eingefügt${extras ? `, ${extras}` : ''}.`);
  }

  function drop() { state.pending = null; renderPending([]); }

  // Sending while a macro is pending applies it (text, tags, action) instead of a plain reply.
  async function send(text) {
    const p = state.pending;
    const id = S.openId;
    const d = await call('POST', `/agent/conversations/${enc(id)}/macros/${p.macro.id}/apply`, { text });
    drop(); // only once sent: a failed try keeps the macro for the next one
    await hooks.applied(id, d);
    return d;
  }

  function onInput() {
    const ta = box();
    const q = slashQuery(ta.value, ta.selectionStart != null ? ta.selectionStart : ta.value.length);
    if (q == null) closeList(); else openList(q);
    if (!ta.value.trim() && state.pending) drop();
  }

  // Capture phase on the form: runs before main.js's Enter-sends listener on the box.
  function onKey(e) {
    if (e.target !== box() || !state.open) return;
    if (e.key === 'Escape') { e.preventDefault(); e.stopPropagation(); closeList(); return; }
    if (e.key === 'Tab') { closeList(); return; }
    if (e.key === 'Enter' && !e.shiftKey) {
      e.preventDefault();
      e.stopPropagation();
      const m = state.shown[state.active];
      if (m) choose(m);
      return;
    }
    moveHighlight(state, e, render);
  }

  function opened() { closeList(); drop(); }

  $('reply-form').addEventListener('keydown', onKey, true);
  $('reply-text').addEventListener('input', onInput);
  $('reply-text').addEventListener('blur', () => setTimeout(() => { if (document.activeElement !== box()) closeList(); }, 150));
  $('macro-btn').addEventListener('click', () => {
    const ta = box();
    if (slashQuery(ta.value, ta.selectionStart || 0) == null) {
      ta.value = '/' + ta.value;
      ta.selectionStart = ta.selectionEnd = 1;
    }
    ta.focus();
    openList(slashQuery(ta.value, ta.selectionStart) || '');
  });

  createMacroAdmin(S, call, { changed: () => load() }); // "Makros" on the account view

  return { load, send, opened, pending: () => state.pending && state.pending.conversation === S.openId, drop };
}

const VARIABLE_NAMES = { customer_name: 'Name des Kunden', order: 'Bestellnummer', team: 'Team', agent: 'Ihr Name' };
