/* Safe light formatting for bot, agent and system messages, shared by widget and console.
 * Text is never parsed as HTML: it is split into tokens (text, line breaks, **bold**, links)
 * and built with DOM calls, so "<b>" from any sender stays visible as text. Only http, https,
 * mailto and tel become links (rel="noopener noreferrer", target _blank); "javascript:",
 * "data:" and everything else stays plain text. tokens() is pure (node tests), render() needs a DOM.
 */

export const SCHEMES = ['http:', 'https:', 'mailto:', 'tel:'];
const LINK = /\b(?:https?:\/\/[^\s<>"'`]+|mailto:[^\s<>"'`]+|tel:\+?[0-9][0-9 ()\/-]*[0-9])/gi;
const TRAILING = /[.,;:!?'")\]}»“]+$/;

// The href a link may carry, or null: only the allowed schemes, and only what URL() accepts.
export function safeHref(raw) {
  if (typeof raw !== 'string') return null;
  const s = raw.trim();
  if (/^tel:/i.test(s)) {
    const number = s.slice(4).replace(/[\s()\/-]/g, '');
    return /^\+?[0-9]{3,20}$/.test(number) ? 'tel:' + number : null;
  }
  if (/[\s<>"'`\\]/.test(s)) return null;
  let url;
  try { url = new URL(s); } catch (e) { return null; }
  if (!SCHEMES.includes(url.protocol)) return null;
  if ((url.protocol === 'http:' || url.protocol === 'https:') && !url.hostname) return null;
  return url.href;
}

// Links and plain text of one line.
function linkTokens(line) {
  const out = [];
  let last = 0;
  for (const m of line.matchAll(LINK)) {
    let found = m[0];
    const trail = found.match(TRAILING);
    if (trail) found = found.slice(0, -trail[0].length);
    const href = safeHref(found);
    if (!href) continue;
    if (m.index > last) out.push({ type: 'text', text: line.slice(last, m.index) });
    out.push({ type: 'link', href, text: found });
    last = m.index + found.length;
  }
  if (last < line.length) out.push({ type: 'text', text: line.slice(last) });
  return out;
}

// One line: **bold** spans (not across lines), links inside and outside them.
function lineTokens(line) {
  const out = [];
  const parts = line.split(/\*\*(?=\S)(.+?)(?<=\S)\*\*/);
  parts.forEach((part, i) => {
    if (!part) return;
    if (i % 2 === 1) out.push({ type: 'bold', children: linkTokens(part) });
    else out.push(...linkTokens(part));
  });
  return out;
}

// The tokens of a message text: text, br, bold (with children), link (href, text).
export function tokens(text) {
  const out = [];
  String(text == null ? '' : text).split(/\r\n|\r|\n/).forEach((line, i) => {
    if (i > 0) out.push({ type: 'br' });
    out.push(...lineTokens(line));
  });
  return out;
}

function build(doc, list, parent) {
  list.forEach((t) => {
    if (t.type === 'text') parent.appendChild(doc.createTextNode(t.text));
    else if (t.type === 'br') parent.appendChild(doc.createElement('br'));
    else if (t.type === 'bold') build(doc, t.children, parent.appendChild(doc.createElement('strong')));
    else if (t.type === 'link') {
      const a = doc.createElement('a');
      a.href = t.href;
      a.textContent = t.text;
      a.target = '_blank';
      a.rel = 'noopener noreferrer';
      parent.appendChild(a);
    }
  });
  return parent;
}

// Fills `parent` (an element) with the formatted text and returns it.
export function render(parent, text) {
  return build(parent.ownerDocument, tokens(text), parent);
}
