/* Keyboard shortcuts of the console: which key does what (shortcuts.js binds them, the help overlay
 * lists them). Pure, so node tests it (tests/js/console-shortcuts.test.mjs).
 *
 * Why Alt+Shift+letter: screen readers take plain letters in browse mode (NVDA, JAWS: h, b, e, f …)
 * and Insert/CapsLock or Ctrl+Option combinations for their own commands; browsers take Ctrl/Cmd
 * combinations and plain Alt+letter for menus and access keys. Alt+Shift+letter is free in all of them,
 * works inside the reply box, and is matched by the physical key (event.code), so macOS's Option
 * characters and other layouts do not matter. The one single key, "?" for this help, only acts when
 * the focus is not in a text field, and can be switched off in the help (WCAG 2.1.4).
 */

export const SHORTCUTS = [
  { id: 'next', code: 'KeyW', label: 'Nächstes Gespräch aus der Warteschlange öffnen' },
  { id: 'claim', code: 'KeyU', label: 'Geöffnetes Gespräch übernehmen' },
  { id: 'macro', code: 'KeyM', label: 'Makro einfügen (Antwortfeld mit „/“)' },
  { id: 'note', code: 'KeyN', label: 'Interne Notiz schreiben' },
  { id: 'close', code: 'KeyE', label: 'Gespräch abschließen (Feld „Ergebnis“, dann Enter)' },
  { id: 'search', code: 'KeyS', label: 'Suche' },
  { id: 'help', code: 'KeyH', label: 'Diese Übersicht der Tastenkürzel' },
];

export const keysText = (s) => `Alt+Umschalt+${s.code.slice(3)}`;
export const ariaKeys = (s) => `Alt+Shift+${s.code.slice(3)}`;

// Whether the focus is in a field that takes typed characters.
export function isTextField(tagName, type, contentEditable) {
  const tag = String(tagName || '').toUpperCase();
  if (contentEditable) return true;
  if (tag === 'TEXTAREA' || tag === 'SELECT') return true;
  if (tag !== 'INPUT') return false;
  return !['button', 'checkbox', 'radio', 'submit', 'reset', 'range', 'color', 'file'].includes(String(type || 'text').toLowerCase());
}

// The shortcut id a keydown means, or null. e: {key, code, altKey, shiftKey, ctrlKey, metaKey};
// inField: the focus is in a text field; helpKey: "?" opens the help (the user may switch it off).
export function shortcutFor(e, inField, helpKey = true) {
  if (e.ctrlKey || e.metaKey) return null;
  if (e.altKey && e.shiftKey) {
    const found = SHORTCUTS.find((s) => s.code === e.code);
    return found ? found.id : null;
  }
  if (!e.altKey && e.key === '?' && !inField && helpKey) return 'help';
  return null;
}
