/* The console's "Berichte" (supervisors and admins) and "Nicht verstanden" (every agent) views.
 * A module of its own next to main.js: it finds the session token where main.js keeps it, asks
 * GET /agent/me for the role when the console appears, and shows its tabs accordingly. Charts are
 * SVG drawn by the hub (?svg=true); every chart has its table right below it.
 */
import { byId as $, clear, el } from '../shared/dom.js';
import { createApi } from './api.js';
import { createLearning } from './learning.js';
import { keyFigures, periodQuery, queryString, tables } from './report-state.js';

const TOKEN_KEY = 'kd-agent-token';
const SECTIONS = [
  ['volume', 'Aufkommen'], ['containment', 'Vom Bot gelöst'], ['escalations', 'Übergaben an Menschen'],
  ['queue', 'Warteschlange'], ['agents', 'Mitarbeiter'], ['satisfaction', 'Zufriedenheit'], ['understanding', 'Verständnis'],
  ['knowledge', 'Antworten aus den Hilfeseiten'], ['sla', 'SLA (Servicezeiten)'], ['tags', 'Schlagwörter'],
];
const MY_VIEWS = { reports: 'view-reports', learning: 'view-learning' };

const api = createApi({ token: () => sessionStorage.getItem(TOKEN_KEY), onUnauthorized: () => {} });
const state = { role: null, labels: {}, loaded: false, request: 0 };
const label = (group, key) => (state.labels[group] && state.labels[group][key]) || key;

function showError(message) {
  $('error-text').textContent = message || 'Es ist ein Fehler aufgetreten.';
  $('error-banner').hidden = false;
}
const learning = createLearning(api, showError, () => state.role === 'supervisor' || state.role === 'admin');

function today() {
  const d = new Date();
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

// --- tabs: main.js switches its own views; these two are switched here ---------------------------
function showMine(tab) {
  Object.entries(MY_VIEWS).forEach(([name, id]) => { $(id).hidden = name !== tab; });
  if (tab === 'reports' && !state.loaded) loadReports();
  if (tab === 'learning') learning.load();
}
document.querySelectorAll('.tabs [role=tab]').forEach((t) => t.addEventListener('click', () => {
  if (t.dataset.tab in MY_VIEWS) {
    document.querySelectorAll('.tabs [role=tab]').forEach((o) => o.setAttribute('aria-selected', String(o === t)));
    $('view-chats').hidden = true;
    $('view-tickets').hidden = true;
  }
  showMine(t.dataset.tab);
}));

async function onAppShown() {
  showMine(null);
  state.loaded = false;
  try {
    const me = await api.call('GET', '/agent/me');
    state.role = me.role;
    state.labels = await api.states().catch(() => ({}));
  } catch (e) {
    state.role = null;
  }
  const elevated = state.role === 'supervisor' || state.role === 'admin';
  $('tab-reports').hidden = !elevated;
  if (elevated) { loadTeams(); loadTags(); }
  $('tab-learning').hidden = !state.role;
  $('learning-export').hidden = state.role !== 'admin';
}
new MutationObserver(() => { if (!$('app').hidden) onAppShown(); }).observe($('app'), { attributes: true, attributeFilter: ['hidden'] });
if (!$('app').hidden) onAppShown();

// Teams filter the figures about handoffs (escalations, queue, agents); shown when company.yml has teams.
async function loadTeams() {
  try {
    const d = await api.call('GET', '/agent/teams');
    const select = $('report-team');
    clear(select).appendChild(el('option', { value: '', text: 'Alle Teams' }));
    (d.teams || []).forEach((t) => select.appendChild(el('option', { value: t.key, text: t.name })));
    $('report-team-label').hidden = !d.configured;
  } catch (e) { $('report-team-label').hidden = true; }
}

// --- the reports view ---------------------------------------------------------------------------
function currentPeriod() {
  return periodQuery($('report-preset').value, today(), $('report-from').value, $('report-to').value);
}

$('report-preset').addEventListener('change', () => {
  const custom = $('report-preset').value === 'custom';
  $('report-custom').hidden = !custom;
  if (!custom) loadReports();
});
$('report-form').addEventListener('submit', (e) => { e.preventDefault(); loadReports(); });
$('report-channel').addEventListener('change', () => loadReports());
$('report-team').addEventListener('change', () => loadReports());

function svgNode(markup) {
  // Markup from our own hub, every text escaped there; parsed as XML, so nothing in it can run.
  const doc = new DOMParser().parseFromString(markup, 'image/svg+xml');
  return doc.documentElement.nodeName === 'svg' ? document.importNode(doc.documentElement, true) : el('p', { text: 'Diagramm nicht lesbar.' });
}

function tableNode(t) {
  return el('details', { class: 'report-table' }, [
    el('summary', { text: `Tabelle: ${t.caption}` }),
    el('div', { class: 'table-scroll' }, [el('table', {}, [
      el('caption', { text: t.caption }),
      el('thead', {}, [el('tr', {}, t.head.map((h) => el('th', { scope: 'col', text: String(h) })))]),
      el('tbody', {}, t.rows.map((r) => el('tr', {}, r.map((c, i) => el(i === 0 ? 'th' : 'td', i === 0 ? { scope: 'row', text: String(c) } : { text: String(c) }))))),
    ])]),
  ]);
}

function renderSection(name, title, data) {
  const box = el('section', { class: 'report-section', 'data-section': name, 'aria-labelledby': `report-h-${name}` }, [
    el('h2', { id: `report-h-${name}`, text: title }),
  ]);
  const twins = tables(name, data, label);
  Object.entries(data.charts || {}).forEach(([chart, markup]) => {
    box.appendChild(el('figure', { class: 'report-chart' }, [svgNode(markup), twins[chart] ? tableNode(twins[chart]) : null]));
  });
  return box;
}

function renderCards(all) {
  const cards = clear($('report-cards'));
  keyFigures(all).forEach(([title, value, hint]) => cards.appendChild(el('div', { class: 'report-card' }, [
    el('div', { class: 'report-card-title', text: title }), el('div', { class: 'report-card-value', text: value }),
    el('div', { class: 'report-card-hint muted', text: hint }),
  ])));
}

async function loadReports() {
  const period = currentPeriod();
  if (period.error) { showError(period.error); return; }
  const channel = $('report-channel').value;
  state.loaded = true;
  const mine = ++state.request; // an older answer arriving late must not replace a newer one
  $('report-status').textContent = 'Lädt …';
  const team = $('report-team').value;
  const tag = $('report-tag').value; // every section and every CSV: only the conversations carrying it (issue 27.9)
  const query = queryString(period, channel, { ...(team ? { team } : {}), ...(tag ? { tag } : {}), svg: 'true' });
  try {
    const results = await Promise.all(SECTIONS.map(([name]) => api.call('GET', `/agent/reports/${name}?${query}`)));
    if (mine !== state.request) return;
    const all = {};
    SECTIONS.forEach(([name], i) => { all[name] = results[i]; });
    renderCards(all);
    const body = clear($('report-body'));
    SECTIONS.forEach(([name, title]) => body.appendChild(renderSection(name, title, all[name])));
    const p = results[0].period;
    $('report-status').textContent = `Zeitraum ${p.from} bis ${p.to} (${p.timezone})`;
  } catch (e) {
    if (mine !== state.request) return;
    $('report-status').textContent = '';
    showError(e.message);
  }
}

async function downloadCsv(kind) {
  const period = currentPeriod();
  if (period.error) { showError(period.error); return; }
  const tag = $('report-tag').value; // each export takes the tag (issue 27.9)
  const res = await fetch(`/api/v1/agent/reports/export/${kind}.csv?${queryString(period, $('report-channel').value, tag ? { tag } : {})}`,
    { headers: { Authorization: 'Bearer ' + sessionStorage.getItem(TOKEN_KEY) } });
  if (!res.ok) { showError('Der Export ist fehlgeschlagen.'); return; }
  const url = URL.createObjectURL(await res.blob());
  const a = el('a', { href: url, download: `kundendialog-${kind}-${period.from}.csv` });
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10000);
}
// "Schlagwort" next to the team filter (the tags of GET /agent/tags): narrows every section and export to
// the conversations carrying it.
const tagLabel = el('label', { id: 'report-tag-label' }, ['Schlagwort ', el('select', { id: 'report-tag' }, [el('option', { value: '', text: 'Alle Schlagwörter' })])]);
$('report-team-label').after(tagLabel);
$('report-tag').addEventListener('change', () => loadReports());
async function loadTags() {
  try {
    const d = await api.call('GET', '/agent/tags');
    const select = clear($('report-tag'));
    select.appendChild(el('option', { value: '', text: 'Alle Schlagwörter' }));
    (d.tags || []).forEach((t) => select.appendChild(el('option', { value: String(t.id), text: t.name })));
  } catch (e) { /* the export works without */ }
}
$('report-csv-conversations').addEventListener('click', () => downloadCsv('conversations'));
$('report-csv-messages').addEventListener('click', () => downloadCsv('messages'));
$('report-csv-sla').addEventListener('click', () => downloadCsv('sla'));
