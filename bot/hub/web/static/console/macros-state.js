/* The "/" macro picker's logic (issue 27.10), pure so node tests it: when the reply box asks for a
 * macro, which macros match, and where the highlight goes. */

// "/erst" typed at the start of the reply box (or of a line in it), the caret right after: the query
// ("erst"); null when the box is not asking for a macro.
export function slashQuery(value, caret) {
  const before = value.slice(0, caret);
  const m = /(?:^|\n)\/([^\s/]{0,40})$/.exec(before);
  return m ? m[1] : null;
}

// Where the "/query" starts, to replace it with the macro's text.
export function slashStart(value, caret) {
  return value.slice(0, caret).lastIndexOf('/');
}

// Lower case, accents and ß folded: what name and title matching compares (also the "@" picker).
export const fold = (s) => String(s || '').toLocaleLowerCase('de').normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/ß/g, 'ss');

// Title matches first, then text matches; at most `limit`.
export function matchMacros(macros, query, limit = 8) {
  const q = fold(query);
  if (!q) return macros.slice(0, limit);
  const byTitle = macros.filter((m) => fold(m.title).includes(q));
  const byText = macros.filter((m) => !byTitle.includes(m) && (fold(m.text).includes(q) || fold(m.text_du).includes(q)));
  return byTitle.concat(byText).slice(0, limit);
}

// The highlighted option after a key; ArrowDown/ArrowUp wrap, Home/End jump. Returns null for other keys.
export function moveActive(active, count, key) {
  if (!count) return null;
  if (key === 'ArrowDown') return active < 0 ? 0 : (active + 1) % count;
  if (key === 'ArrowUp') return active <= 0 ? count - 1 : active - 1;
  if (key === 'Home') return 0;
  if (key === 'End') return count - 1;
  return null;
}

const ACTIONS = { close: 'danach abschließen', handback: 'danach an den Bot zurückgeben' };

// What the macro does besides its text, in words: "danach abschließen · Schlagwörter: rückruf".
export function macroExtras(m, teamName = (k) => k) {
  const parts = [];
  if (m.action && ACTIONS[m.action]) parts.push(ACTIONS[m.action]);
  else if (m.action && m.action.startsWith('transfer_team:')) parts.push(`danach an Team ${teamName(m.action.slice(14))}`);
  if (m.tags && m.tags.length) parts.push(`Schlagwörter: ${m.tags.join(', ')}`);
  return parts.join(' · ');
}
