/* The widget's texts in both registers. Sie is the default; once the customer
 * writes "du" the hub says so (register in the API answers and websocket
 * frames) and every text switches, so the chat and the status line never
 * disagree. Pure data and functions: node imports it in tests/js/.
 */

export const REGISTERS = ['sie', 'du'];

export const SIE = {
  open: 'Chat öffnen',
  close: 'Chat schließen',
  title: 'Kundenservice',
  placeholder: 'Ihre Nachricht …',
  inputLabel: 'Nachricht eingeben',
  send: 'Senden',
  botTyping: 'Wanda schreibt …',
  agentTyping: 'Ein Mitarbeiter schreibt …',
  read: 'Gelesen',
  agent: 'Mitarbeiter',
  agentActive: 'Sie schreiben mit einem Mitarbeiter',
  queuedNoInfo: 'Sie sind in der Warteschlange – ein Mitarbeiter ist gleich für Sie da.',
  callbackToggle: 'Rückruf / E-Mail statt warten',
  contact: 'E-Mail oder Telefonnummer',
  note: 'Ihr Anliegen (optional)',
  callbackSend: 'Anfrage senden',
  cancel: 'Abbrechen',
  contactMissing: 'Bitte geben Sie eine E-Mail-Adresse oder Telefonnummer an.',
  sendFailed: 'Ihre Nachricht konnte leider nicht gesendet werden. Bitte prüfen Sie Ihre Internetverbindung und versuchen Sie es erneut.',
  startFailed: 'Der Chat ist im Moment nicht erreichbar. Bitte versuchen Sie es später erneut.',
  expired: 'Diese Unterhaltung ist nicht mehr verfügbar. Ihre nächste Nachricht startet ein neues Gespräch.',
  genericError: 'Es ist ein Fehler aufgetreten. Bitte versuchen Sie es erneut.',
  quickReplies: 'Antwortvorschläge',
  end: 'Chat beenden',
  endQuestion: 'Chat beenden? Der Verlauf wird von diesem Gerät entfernt.',
  endYes: 'Beenden',
  ended: 'Der Chat ist beendet und der Verlauf von diesem Gerät entfernt. Schreiben Sie uns gern jederzeit wieder.',
  expiredNew: 'Ihr früheres Gespräch ist abgelaufen – Ihre Nachricht geht in ein neues Gespräch.',
  attach: 'Datei anhängen (Foto oder PDF)',
  uploading: 'Die Datei wird gesendet …',
  fileFailed: 'Die Datei konnte nicht geladen werden.',
  image: 'Foto',
  document: 'PDF-Dokument',
  openFull: 'in voller Größe öffnen',
  download: 'herunterladen',
  bot: 'Wanda',
  system: 'Hinweis',
  newMessage: 'Neue Nachricht',
  // {position}, {minutes}: the status line while waiting.
  queuePosition: 'Sie sind an Position {position} – geschätzte Wartezeit ca. {minutes} Min.',
};

// Only the texts that address the customer differ.
export const DU = {
  placeholder: 'Deine Nachricht …',
  agentActive: 'Du schreibst mit einem Mitarbeiter',
  queuedNoInfo: 'Du bist in der Warteschlange – ein Mitarbeiter ist gleich für dich da.',
  note: 'Dein Anliegen (optional)',
  contactMissing: 'Bitte gib eine E-Mail-Adresse oder Telefonnummer an.',
  sendFailed: 'Deine Nachricht konnte leider nicht gesendet werden. Bitte prüf deine Internetverbindung und versuch es noch einmal.',
  startFailed: 'Der Chat ist im Moment nicht erreichbar. Bitte versuch es später noch einmal.',
  expired: 'Diese Unterhaltung ist nicht mehr verfügbar. Deine nächste Nachricht startet ein neues Gespräch.',
  genericError: 'Es ist ein Fehler aufgetreten. Bitte versuch es noch einmal.',
  ended: 'Der Chat ist beendet und der Verlauf von diesem Gerät entfernt. Schreib uns gern jederzeit wieder.',
  expiredNew: 'Dein früheres Gespräch ist abgelaufen – deine Nachricht geht in ein neues Gespräch.',
  queuePosition: 'Du bist an Position {position} – geschätzte Wartezeit ca. {minutes} Min.',
};

// 'du' or 'sie' from an API answer or frame; null when it says nothing.
export const registerOf = (value) => (REGISTERS.includes(value) ? value : null);

// All texts in a register (anything but 'du' is Sie).
export const texts = (register) => (register === 'du' ? { ...SIE, ...DU } : { ...SIE });

// A text with its {placeholders} filled.
export const fill = (text, values) => text.replace(/\{(\w+)\}/g, (m, k) => (k in values ? String(values[k]) : m));

// The status line while waiting; q: queueInfo() from state.js, or null.
export function queueText(q, register) {
  const t = texts(register);
  return q ? fill(t.queuePosition, q) : t.queuedNoInfo;
}
