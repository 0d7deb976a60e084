/* The console's search box (issue 27.8): one box in the top bar over transcripts, internal notes,
 * requests and contact fields (GET /api/v1/agent/search), results in a view of their own with
 * filters and pages. The excerpts come from the hub as escaped HTML with <mark> around the hits; every
 * other value (names come from customers' platforms) is set as text. A module next to main.js: a hit
 * opens its conversation through the "kd:open-conversation" event main.js listens to.
 */
import { byId as $, clear, el } from '../shared/dom.js';
import { createApi } from './api.js';
import { KIND_LABELS, hitTitle, searchQuery, statusText } from './search-state.js';

const TOKEN_KEY = 'kd-agent-token';
const CHANNELS = { webchat: 'Webchat', whatsapp: 'WhatsApp', telegram: 'Telegram', messenger: 'Messenger' };
const STATES = { bot: 'beim Bot', queued: 'wartend', agent: 'bei Mitarbeiter', closed: 'abgeschlossen' };
const FILTER_IDS = ['kind', 'channel', 'state', 'team', 'tag', 'agent', 'from', 'to'];

const api = createApi({ token: () => sessionStorage.getItem(TOKEN_KEY), onUnauthorized: () => {} });
const state = { values: null, page: 1, request: 0, optionsLoaded: false };
const channelLabel = (c) => CHANNELS[c] || c;

function when(iso) {
  if (!iso) return '';
  return new Date(iso).toLocaleString('de-DE', { dateStyle: 'medium', timeStyle: 'short' });
}

function views() { return [...document.querySelectorAll('#app-main > section, #app-main > div')]; }

// The results cover the view of the selected tab, which stays selected: the tab list keeps its one
// tab stop, and choosing that tab (or any) goes back.
function showView() {
  views().forEach((v) => { v.hidden = v.id !== 'view-search'; });
}

function hideView() { $('view-search').hidden = true; }

function option(value, text) { return el('option', { value, text }); }

async function loadOptions() {
  if (state.optionsLoaded) return;
  state.optionsLoaded = true;
  const fill = (id, items) => {
    const select = $(id);
    items.forEach(([value, text]) => select.appendChild(option(value, text)));
  };
  fill('search-kind', Object.entries(KIND_LABELS));
  fill('search-channel', Object.entries(CHANNELS));
  fill('search-state', Object.entries(STATES));
  const [teams, tags, agents] = await Promise.all([
    api.call('GET', '/agent/teams').catch(() => ({})),
    api.call('GET', '/agent/tags').catch(() => ({})),
    api.call('GET', '/agent/agents').catch(() => ({})),
  ]);
  const teamList = teams.teams || [];
  $('search-team-label').hidden = teamList.length < 2;
  fill('search-team', teamList.map((t) => [t.key, t.name]));
  fill('search-tag', (tags.tags || []).map((t) => [String(t.id), t.name]));
  fill('search-agent', (agents.agents || []).map((a) => [String(a.id), a.name]));
}

function values() {
  const out = { q: $('search-input').value };
  FILTER_IDS.forEach((name) => { out[name] = $('search-' + name).value; });
  return out;
}

function renderHit(hit) {
  const open = el('button', { type: 'button', class: 'link search-open', text: hitTitle(hit, channelLabel) });
  open.addEventListener('click', () => {
    hideView();
    document.dispatchEvent(new CustomEvent('kd:open-conversation', { detail: { id: hit.conversation_id } }));
  });
  const snippet = el('p', { class: 'search-snippet' });
  snippet.innerHTML = hit.snippet; // escaped by the hub (bot/hub/search/snippet.py): only <mark> is markup
  return el('li', { class: 'search-hit' }, [
    el('h3', { class: 'search-title' }, [open]),
    el('p', { class: 'muted small', text: [channelLabel(hit.channel), STATES[hit.state] || hit.state, when(hit.created_at)].filter(Boolean).join(' · ') }),
    snippet,
  ]);
}

async function run(page) {
  const built = searchQuery(state.values, page);
  const status = $('search-status');
  if (built.error) { status.textContent = built.error; return; }
  const mine = ++state.request;
  status.textContent = 'Suche läuft …';
  let body;
  try {
    body = await api.call('GET', '/agent/search?' + built.query);
  } catch (e) {
    if (mine === state.request) status.textContent = e.message;
    return;
  }
  if (mine !== state.request) return;
  state.page = body.page;
  const list = clear($('search-results'));
  (body.results || []).forEach((hit) => list.appendChild(renderHit(hit)));
  list.start = (body.page - 1) * body.per_page + 1;
  status.textContent = statusText(body, state.values.q.trim());
  $('search-prev').disabled = body.page <= 1;
  $('search-next').disabled = !body.has_more;
  $('search-pages').hidden = body.page <= 1 && !body.has_more;
}

function submit(e) {
  e.preventDefault();
  state.values = values();
  showView();
  $('search-heading').focus();
  run(1);
  loadOptions();
}

$('search-form').addEventListener('submit', submit);
$('search-filters').addEventListener('submit', submit);
$('search-prev').addEventListener('click', () => run(state.page - 1));
$('search-next').addEventListener('click', () => run(state.page + 1));
document.querySelectorAll('.tabs [role=tab]').forEach((t) => t.addEventListener('click', hideView));
