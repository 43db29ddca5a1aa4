/**
 * Escapes text from resources (names, tags, reasons) for Slack mrkdwn: `&`, `<` and `>` as Slack
 * requires, so `<@U123>`, `<!channel>` or `<https://evil|click>` in a resource name stay text, and the
 * formatting characters, so a name cannot bold, strike or quote its way into the message.
 */
export function escapeMrkdwn(text: string): string {
  return text
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replace(/([*_~`])/g, '\u200b$1\u200b');
}

/** Inline code for identifiers (ARNs), with backticks removed so the span cannot be closed early. */
export function code(text: string): string {
  return `\`${escapeMrkdwn(text.replaceAll('`', "'")).replaceAll('\u200b', '')}\``;
}

/** Text for a preformatted block: only what Slack itself parses is escaped, so the code copies as written. */
export function preformatted(text: string): string {
  return text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('```', "'''");
}
