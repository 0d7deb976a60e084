/* Pure helpers of the reports and "Nicht verstanden" views: the period of a preset, number formats,
 * and every chart's figures as a table (caption, header, rows) - the accessible twin of each SVG.
 * No DOM here, so node --test can load it (tests/js/report-state.test.mjs).
 */

export const PRESETS = { today: 1, '7d': 7, '30d': 30 };
export const MAX_DAYS = 366;
const CHANNELS = ['webchat', 'whatsapp', 'telegram', 'messenger'];
const SENDERS = ['customer', 'bot', 'agent', 'system'];
const WEEKDAYS = ['Mo', 'Di', 'Mi', 'Do', 'Fr', 'Sa', 'So'];

const iso = (d) => d.toISOString().slice(0, 10);
const dayOf = (s) => new Date(s + 'T00:00:00Z');

// {from, days} for the API, or {error} for the form. today: 'YYYY-MM-DD' (the browser's local day).
export function periodQuery(preset, today, from, to) {
  if (preset in PRESETS) {
    const days = PRESETS[preset];
    const first = dayOf(today);
    first.setUTCDate(first.getUTCDate() - days + 1);
    return { from: iso(first), days };
  }
  if (!/^\d{4}-\d{2}-\d{2}$/.test(from || '') || !/^\d{4}-\d{2}-\d{2}$/.test(to || '')) {
    return { error: 'Bitte wählen Sie Anfang und Ende des Zeitraums.' };
  }
  const days = Math.round((dayOf(to) - dayOf(from)) / 86400000) + 1;
  if (days < 1) return { error: 'Das Ende liegt vor dem Anfang.' };
  if (days > MAX_DAYS) return { error: `Höchstens ${MAX_DAYS} Tage auf einmal.` };
  return { from, days };
}

export function queryString(period, channel, extra) {
  const q = new URLSearchParams({ from: period.from, days: String(period.days) });
  if (channel) q.set('channel', channel);
  Object.entries(extra || {}).forEach(([k, v]) => q.set(k, v));
  return q.toString();
}

export function fmtRate(r) { return r == null ? '–' : `${(r * 100).toFixed(1).replace('.', ',')} %`; }
export function fmtNumber(n) { return n == null ? '–' : String(n).replace('.', ','); }
// "1 Bewertung", "2 Bewertungen" (n null: "– Bewertungen").
export function plural(n, one, many) { return `${fmtNumber(n)} ${n === 1 ? one : many}`; }
export function fmtSeconds(s) {
  if (s == null) return '–';
  if (s < 60) return `${Math.round(s)} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min ${Math.round(s % 60)} s`;
  return `${Math.floor(s / 3600)} h ${Math.round((s % 3600) / 60)} min`;
}
const shortDay = (d) => `${d.slice(8, 10)}.${d.slice(5, 7)}.`;

// label(group, key): the German label from /api/v1/states (falls back to the key).
export function tables(section, f, label) {
  const L = label || ((g, k) => k);
  switch (section) {
    case 'volume': {
      const channels = CHANNELS.filter((c) => f.conversations.per_day.some((r) => r.by_channel[c]));
      return {
        conversations_per_day: { caption: 'Gespräche pro Tag nach Kanal', head: ['Tag', 'Gespräche', ...channels.map((c) => L('channel', c))],
          rows: f.conversations.per_day.map((r) => [shortDay(r.day), r.total, ...channels.map((c) => r.by_channel[c] || 0)]) },
        messages_per_day: { caption: 'Nachrichten pro Tag nach Absender', head: ['Tag', 'Nachrichten', ...SENDERS.map((s) => L('sender', s))],
          rows: f.messages.per_day.map((r) => [shortDay(r.day), r.total, ...SENDERS.map((s) => r[s])]) },
        heatmap: { caption: 'Gesprächsbeginn nach Wochentag (Zeilen) und Stunde (Spalten)', head: ['', ...Array.from({ length: 24 }, (_, h) => String(h))],
          rows: f.heatmap.conversations.map((row, d) => [WEEKDAYS[d], ...row]) },
      };
    }
    case 'containment':
      return {
        containment_per_day: { caption: 'Vom Bot gelöst pro Tag', head: ['Tag', 'Kunde schrieb', 'Vom Bot gelöst', 'An Menschen', 'Anteil gelöst'],
          rows: f.per_day.map((r) => [shortDay(r.day), r.engaged, r.resolved_by_bot, r.escalated, fmtRate(r.containment_rate)]) },
        outcome_per_day: { caption: 'Ausgang der Gespräche pro Tag', head: ['Tag', 'Vom Bot gelöst', 'An Menschen', 'Hängen geblieben'],
          rows: f.per_day.map((r) => [shortDay(r.day), r.resolved_by_bot, r.escalated, r.engaged - r.resolved_by_bot - r.escalated]) },
      };
    case 'escalations':
      return {
        by_reason: { caption: 'Übergaben nach Grund', head: ['Grund', 'Anzahl'], rows: f.by_reason.map((r) => [r.label, r.count]) },
        by_topic: { caption: 'Übergaben nach Thema', head: ['Thema', 'Anzahl'], rows: f.by_topic.map((t) => [t.topic, t.count]) },
      };
    case 'queue':
      return { wait_histogram: { caption: 'Wartezeit bis zur Übernahme', head: ['Wartezeit', 'Übergaben'],
        rows: f.wait_histogram.map((b) => [b.label, b.count]) } };
    case 'agents':
      return { per_agent: { caption: 'Mitarbeiter im Zeitraum',
        head: ['Mitarbeiter', 'Übernommen', 'An Bot zurück', 'Abgeschlossen', 'An Team übergeben', 'Offen', 'Antworten', 'Erste Antwort (Median)', 'Bearbeitung (Median)'],
        rows: f.agents.map((a) => [a.name, a.conversations, a.handbacks, a.closed, a.transferred || 0, a.open, a.replies || 0, fmtSeconds(a.first_response_p50), fmtSeconds(a.handling_p50)]) } };
    case 'satisfaction':
      return {
        distribution: { caption: 'Bewertungen 1–5', head: ['Bewertung', 'Nur Bot', 'Nach Mitarbeiter'],
          rows: ['1', '2', '3', '4', '5'].map((s) => [s, f.bot_only.distribution[s], f.after_agent.distribution[s]]) },
        average_per_day: { caption: 'Durchschnittliche Bewertung pro Tag', head: ['Tag', 'Nur Bot', 'Anzahl', 'Nach Mitarbeiter', 'Anzahl'],
          rows: f.per_day.map((r) => [shortDay(r.day), fmtNumber(r.bot_only_average), r.bot_only_count, fmtNumber(r.after_agent_average), r.after_agent_count]) },
      };
    case 'understanding':
      return {
        fallback_per_day: { caption: 'Nicht verstanden pro Tag', head: ['Tag', 'Gelesen', 'Nicht verstanden', 'Quote'],
          rows: f.per_day.map((r) => [shortDay(r.day), r.read, r.fallback, fmtRate(r.fallback_rate)]) },
        by_intent: { caption: 'Anliegen (Intents)', head: ['Intent', 'Nachrichten'], rows: f.by_intent.map((i) => [i.intent, i.count]) },
      };
    case 'knowledge':
      return {
        knowledge_per_day: { caption: 'Antworten aus den Hilfeseiten pro Tag', head: ['Tag', 'Antworten', 'Nichts gefunden', 'Hat geholfen', 'Hat nicht geholfen'],
          rows: f.per_day.map((r) => [shortDay(r.day), r.answers, r.abstentions, r.helpful, r.unhelpful]) },
        top_pages: { caption: 'Meistgezeigte Hilfeseiten', head: ['Seite', 'Antworten', 'Hat geholfen', 'Hat nicht geholfen'],
          rows: f.top_pages.map((p) => [p.title, p.answers, p.helpful, p.unhelpful]) },
      };
    case 'sla': {
      const rate = (a) => (a.rate == null ? '–' : fmtRate(a.rate));
      const head = ['', 'Erstantwort im Ziel', 'verfehlt', 'Quote', 'Lösung im Ziel', 'verfehlt', 'Quote'];
      const row = (name, x) => [name, x.first_response.met, x.first_response.missed, rate(x.first_response),
        x.resolution.met, x.resolution.missed, rate(x.resolution)];
      return {
        first_response: { caption: 'SLA pro Team (Geschäftszeit)', head: ['Team', ...head.slice(1)],
          rows: f.teams.map((t) => row(t.team_name, t)) },
        per_agent: { caption: 'SLA pro Mitarbeiter', head: ['Mitarbeiter', ...head.slice(1)],
          rows: f.agents.map((a) => row(a.name, a)) },
      };
    }
    case 'tags':
      return { by_tag: { caption: 'Schlagwörter im Zeitraum', head: ['Schlagwort', 'Gespräche', 'Anfragen'],
        rows: f.tags.map((t) => [t.name, t.conversations, t.tickets]) } };
    default:
      return {};
  }
}

// The key figures shown as cards above the charts, from all sections: [label, value, hint].
export function keyFigures(all) {
  const c = all.containment || {}; const q = all.queue || {}; const s = all.satisfaction || {};
  const u = all.understanding || {}; const v = all.volume || {}; const k = all.knowledge || {};
  return [
    ['Gespräche', fmtNumber(v.conversations && v.conversations.total), 'begonnen im Zeitraum'],
    ['Vom Bot gelöst', fmtRate(c.containment_rate), `${fmtNumber(c.resolved_by_bot)} von ${fmtNumber(c.engaged)}`],
    ['An Menschen übergeben', fmtRate(c.escalation_rate), plural(c.escalated, 'Gespräch', 'Gespräche')],
    ['Wartezeit p50 / p90', `${fmtSeconds(q.wait_seconds && q.wait_seconds.p50)} / ${fmtSeconds(q.wait_seconds && q.wait_seconds.p90)}`,
      `${fmtNumber(q.abandoned)} abgebrochen`],
    ['Zufriedenheit Bot / Mensch', `${fmtNumber(s.bot_only && s.bot_only.average)} / ${fmtNumber(s.after_agent && s.after_agent.average)}`,
      plural(s.all && s.all.count, 'Bewertung', 'Bewertungen')],
    ['Nicht verstanden', fmtRate(u.fallback_rate), `${fmtNumber(u.fallback)} von ${plural(u.read, 'Nachricht', 'Nachrichten')}`],
    ['Hilfeseiten: hat geholfen', fmtRate(k.helpful_rate), `${plural(k.answers, 'Antwort', 'Antworten')}, ${fmtNumber(k.abstentions)}× nichts gefunden`],
  ];
}
