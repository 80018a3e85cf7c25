/**
 * Subject and body of the admin's test email, saying which provider sent it
 * and when. In test mode the provider accepts the message and never delivers
 * it, so the body says just that rather than claiming delivery.
 */
export function testEmailContent(
  displayName: string,
  sentAt: Date,
  options: { testMode?: boolean } = {},
): { subject: string; text: string; html: string } {
  const when = sentAt.toISOString();
  const sent = `This test email was sent by ESP Hub through ${displayName} at ${when}.`;
  const outcome = options.testMode
    ? `${displayName} accepted it in test mode: it was checked and logged, and not delivered to anyone.`
    : `If you are reading it, ${displayName} accepted the message and delivered it.`;
  const text = [sent, '', outcome].join('\n');
  // An HTML part lets open tracking (a pixel) work when it is switched on.
  const html = `<p>${escapeHtml(sent)}</p><p>${escapeHtml(outcome)}</p>`;
  return {
    subject: options.testMode
      ? 'ESP Hub test email (test mode)'
      : 'ESP Hub test email',
    text,
    html,
  };
}

function escapeHtml(value: string): string {
  return value
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;');
}
