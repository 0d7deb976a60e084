/* Keyboard shortcuts of the console (issue 27.14) and their help overlay: which keys, and why these,
 * in shortcuts-state.js. Each shortcut does what its button or field does (a click or a focus), so the
 * console's own checks and confirmations stay in one place (main.js). The overlay is a modal <dialog>:
 * the page behind is inert, Tab stays inside, Escape closes it and the focus goes back where it was.
 */
import { SHORTCUTS, ariaKeys, isTextField, keysText, shortcutFor } from './shortcuts-state.js';
import { byId as $, el } from '../shared/dom.js';

const HELP_KEY = 'kd-shortcut-help-key'; // "off": "?" does not open the help
const visible = (node) => !!node && !node.hidden && node.offsetParent !== null && !node.disabled;

function tell(message) {
  $('notice-text').textContent = message;
  $('notice-banner').hidden = false;
}

function chats() {
  if ($('view-chats').hidden) $('tab-chats').click();
}

function focusField(id, missing) {
  const field = $(id);
  if (visible(field)) { field.focus(); return field; }
  tell(missing);
  return null;
}

const ACTIONS = {
  next() {
    chats();
    const item = document.querySelector('#queue .queue-item');
    if (!item) { tell('Niemand wartet.'); return; }
    item.focus();
    item.click();
  },
  claim() {
    const button = $('claim-btn');
    if (visible(button)) button.click();
    else tell('Hier gibt es nichts zu übernehmen.');
  },
  macro() {
    const button = $('macro-btn'); // "Makro einfügen" (macros.js): "/" in front, the list open
    if (visible(button) && visible($('reply-text'))) { button.click(); return; }
    const box = focusField('reply-text', 'Öffnen Sie zuerst ein Gespräch, das Ihnen zugewiesen ist.');
    if (box && !box.value) {
      box.value = '/';
      box.dispatchEvent(new Event('input', { bubbles: true })); // the macro picker opens on "/"
    }
  },
  note() { focusField('note-text', 'Öffnen Sie zuerst ein Gespräch.'); },
  close() { focusField('close-resolution', 'Öffnen Sie zuerst ein Gespräch, das Ihnen zugewiesen ist.'); },
  search() { const box = $('search-input'); box.focus(); box.select(); },
  help() { openHelp(); },
};

let returnTo = null;
function openHelp() {
  const dialog = $('shortcut-help');
  if (dialog.open) return;
  returnTo = document.activeElement;
  dialog.showModal();
  $('shortcut-help-close').focus();
}

function closed() {
  if (returnTo && document.contains(returnTo)) returnTo.focus();
  returnTo = null;
}

// Tab and Shift+Tab go round inside the dialog (the browser would also leave it for its own toolbar).
function trapTab(e) {
  if (e.key !== 'Tab') return;
  const items = [...$('shortcut-help').querySelectorAll('button, input, [href], [tabindex]:not([tabindex="-1"])')]
    .filter((n) => !n.disabled);
  const first = items[0], last = items[items.length - 1];
  if (e.shiftKey && document.activeElement === first) { e.preventDefault(); last.focus(); }
  else if (!e.shiftKey && document.activeElement === last) { e.preventDefault(); first.focus(); }
}

function onKey(e) {
  if ($('app').hidden || $('shortcut-help').open) return;
  const t = e.target || {};
  const id = shortcutFor(e, isTextField(t.tagName, t.type, t.isContentEditable), localStorage.getItem(HELP_KEY) !== 'off');
  if (!id) return;
  e.preventDefault();
  ACTIONS[id]();
}

document.addEventListener('keydown', onKey);
$('shortcut-help').addEventListener('keydown', trapTab);
$('shortcut-help').addEventListener('close', closed);
$('shortcut-help-close').addEventListener('click', () => $('shortcut-help').close());
$('shortcuts-btn').addEventListener('click', openHelp);
// After Alt+Shift+E: Enter in the result field closes, as "Abschließen" does.
$('close-resolution').addEventListener('keydown', (e) => {
  if (e.key === 'Enter' && !e.isComposing) { e.preventDefault(); $('close-btn').click(); }
});
$('shortcut-help-key').checked = localStorage.getItem(HELP_KEY) !== 'off';
$('shortcut-help-key').addEventListener('change', (e) => localStorage.setItem(HELP_KEY, e.target.checked ? 'on' : 'off'));
// The elements name their shortcut for assistive technology.
const TARGETS = { claim: 'claim-btn', macro: 'reply-text', note: 'note-text', close: 'close-resolution', search: 'search-input', help: 'shortcuts-btn' };
SHORTCUTS.forEach((s) => { if (TARGETS[s.id]) $(TARGETS[s.id]).setAttribute('aria-keyshortcuts', ariaKeys(s)); });
// The overlay's table, from the same list the keys are matched against.
const rows = $('shortcut-help-rows');
SHORTCUTS.forEach((s) => rows.appendChild(el('tr', {}, [el('td', {}, [el('kbd', { text: keysText(s) })]), el('td', { text: s.label })])));
rows.appendChild(el('tr', {}, [el('td', {}, [el('kbd', { text: '?' })]), el('td', { text: 'Diese Übersicht (nur außerhalb von Eingabefeldern)' })]));
