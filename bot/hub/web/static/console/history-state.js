/* Pure logic of the customer history panel (issue 27.12): how the customer was recognised, in words,
 * and which earlier conversations can be merged into the open one. No DOM access (tests/js/).
 */

export function recognisedText(customer) {
  if (!customer || !customer.recognised) {
    return 'Kunde nicht sicher erkannt: Frühere Gespräche werden nur über eine bestätigte E-Mail-Adresse '
      + 'oder ein Messenger-Konto zugeordnet.';
  }
  const parts = [];
  if (customer.emails && customer.emails.length) parts.push(`bestätigte E-Mail ${customer.emails.join(', ')}`);
  if (customer.messenger) parts.push(`${customer.messenger}-Konto`);
  return `Erkannt über ${parts.join(' und ')}.`;
}

// An earlier conversation can be merged into the open one when it is with the bot or closed and not merged yet.
export function mergeable(c) {
  return !!c && !c.current && !c.merged_into && (c.state === 'bot' || c.state === 'closed');
}

export function earlier(history) {
  return ((history && history.conversations) || []).filter((c) => !c.current);
}
