/* Pure helpers of the content gaps ("Nicht verstanden" → Hilfeseiten): labels and the page choices.
 * No DOM here (node tests); learning.js builds the view with textContent only.
 */

const KIND = { abstained: 'nichts gefunden', unhelpful: 'hat nicht geholfen' };

export const topicLabel = (topic) => (topic ? topic.charAt(0).toUpperCase() + topic.slice(1) : 'Ohne Thema');

export const kindLabel = (kind) => KIND[kind] || String(kind || '');

// The page a gap involved: the one shown (not helpful) or the nearest one below the threshold.
export function pageHint(item) {
  const page = item && item.page;
  if (!page || !page.title) return 'keine Seite in der Nähe';
  return `${item.kind === 'unhelpful' ? 'gezeigt' : 'nächste Seite'}: ${page.title}`;
}

// The pages to attach, as select options [value, text]; the page involved comes first.
export function pageOptions(pages, item) {
  const first = item && item.page && item.page.page_id;
  const list = (pages || []).map((p) => [p.page_id, p.topic ? `${p.title} (${p.topic})` : p.title]);
  return list.sort((a, b) => (a[0] === first ? -1 : b[0] === first ? 1 : 0));
}

// A page shown in a handoff summary: its title and the customer's verdict.
export function knowledgePageText(p) {
  const verdict = p && p.helpful === true ? ' – hat geholfen' : p && p.helpful === false ? ' – hat nicht geholfen' : '';
  return `${(p && p.title) || '?'}${verdict}`;
}

// The note an agent reads in the transcript for a bot message's `knowledge` block.
export function knowledgeNote(k) {
  if (!k || typeof k !== 'object') return '';
  if (k.abstained) return 'Hilfeseiten: nichts gefunden';
  const title = k.title || k.page_id || '?';
  if (k.helpful === true) return `Hilfeseite „${title}“: hat geholfen`;
  if (k.helpful === false) return `Hilfeseite „${title}“: hat nicht geholfen`;
  return `Hilfeseite gezeigt: ${title}`;
}
