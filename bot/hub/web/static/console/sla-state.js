/* SLA texts for the console (issue 27.13), pure so node tests them: which clock a conversation shows
 * (first response until the first agent reply, then resolution) and how its time left reads. The hub
 * counts business time (GET /agent/sla/active); outside the team's hours the clock stands still. */

export const SLA_KINDS = { first_response: 'Erstantwort', resolution: 'Lösung' };

// The clock that matters now: the first response while it runs, else the resolution's.
export function slaClock(item) {
  if (!item) return null;
  const first = item.first_response;
  if (first && !['met', 'missed'].includes(first.state)) return { kind: 'first_response', s: first };
  if (item.resolution) return { kind: 'resolution', s: item.resolution };
  return first ? { kind: 'first_response', s: first } : null;
}

export function duration(seconds) {
  const minutes = Math.max(1, Math.round(Math.abs(seconds) / 60));
  if (minutes < 60) return `${minutes} Min.`;
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  return rest ? `${hours} Std. ${rest} Min.` : `${hours} Std.`;
}

// Short, for a list badge: "noch 12 Min.", "überfällig 3 Min.", "im Ziel".
export function slaShort(s) {
  if (s.state === 'met') return 'im Ziel';
  if (s.state === 'missed') return 'verfehlt';
  if (s.state === 'breached') return `überfällig ${duration(s.left_seconds)}`;
  return `noch ${duration(s.left_seconds)}`;
}

// Whole, for the conversation and screen readers: "Erstantwort: noch 12 Min. (pausiert, Team geschlossen)".
export function slaLong(kind, s) {
  const paused = s.paused && !['met', 'missed'].includes(s.state) ? ' (pausiert, Team gerade geschlossen)' : '';
  const warn = s.state === 'warning' ? ' – knapp' : '';
  return `${SLA_KINDS[kind] || kind}: ${slaShort(s)}${warn}${paused}`;
}

// "running" | "warning" | "breached" | "met" | "missed": the badge's class.
export const slaClass = (s) => `sla-${s.state}`;
