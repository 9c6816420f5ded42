// What a person wrote in a reply, without what they quoted of ours: the reply of the inquiry story is read
// by people (and may be quoted by the next template), so the quoted answer and the mail client's
// "On … wrote:" line are noise. Heuristics for the common clients; when in doubt, keep the text.

// Lines that start the quoted part in the common mail clients; everything from there on is dropped.
const QUOTE_HEADERS: readonly RegExp[] = [
  /^-{2,}\s*Original Message\s*-{2,}\s*$/i, // Outlook, many webmails
  /^-{2,}\s*Forwarded message\s*-{2,}\s*$/i,
  /^_{10,}\s*$/, // Outlook's rule above the quoted headers
  /^From:\s.+$/, // Outlook without the rule: "From: … / Sent: …"
];

/** "On Mon, 23 Nov 2026 at 10:00, Tactful <…> wrote:", in one line or wrapped over two. */
function isAttribution(line: string, next: string | undefined): boolean {
  if (/^On\s.+\swrote:\s*$/.test(line)) return true;
  return /^On\s.+/.test(line) && next !== undefined && /^.*wrote:\s*$/.test(next) && !/^>/.test(next);
}

/**
 * Pure. The new text of a plain-text reply: lines quoted with `>` are dropped, and so is everything from
 * the first attribution line ("On … wrote:"), original-message separator or signature delimiter (`-- `).
 * When that leaves nothing (a reply that only quotes), the whole text is kept, trimmed.
 */
export function newReplyText(text: string): string {
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  const kept: string[] = [];
  for (const [i, line] of lines.entries()) {
    if (line === '-- ' || line === '--') break; // RFC 3676 signature delimiter
    if (isAttribution(line, lines[i + 1]) || QUOTE_HEADERS.some((re) => re.test(line))) break;
    if (/^\s*>/.test(line)) continue;
    kept.push(line);
  }
  const result = kept.join('\n').trim();
  return result === '' ? text.trim() : result;
}
