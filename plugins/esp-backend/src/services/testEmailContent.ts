/** Subject and body of the admin's test email, saying which provider sent it and when. */
export function testEmailContent(
  displayName: string,
  sentAt: Date,
): { subject: string; text: string; html: string } {
  const when = sentAt.toISOString();
  const text = [
    `This test email was sent by ESP Hub through ${displayName} at ${when}.`,
    '',
    `If you are reading it, ${displayName} accepted the message and delivered it.`,
  ].join('\n');
  // An HTML part lets open tracking (a pixel) work when it is switched on.
  const html = `<p>This test email was sent by ESP Hub through <strong>${escapeHtml(
    displayName,
  )}</strong> at ${escapeHtml(when)}.</p><p>If you are reading it, ${escapeHtml(
    displayName,
  )} accepted the message and delivered it.</p>`;
  return { subject: 'ESP Hub test email', text, html };
}

function escapeHtml(value: string): string {
  return value
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;');
}
