import { assertNever, type UnsubscribeChoice, type UnsubscribeToken } from '@tactful/events';

// The preference page of an email's links (`GET /u/<token>`, CONTRACT.md section 4): plain HTML forms,
// no JavaScript and nothing loaded from elsewhere, so it works in any browser and under the strict
// Content-Security-Policy the route sends. Every value from the token is escaped.

const STYLE = `body{font-family:Helvetica,Arial,sans-serif;background:#f4f5f7;color:#1f2933;margin:0;padding:24px}
main{max-width:560px;margin:0 auto;background:#fff;padding:24px;border-radius:6px}
form{margin:16px 0;padding:16px;border:1px solid #d9dde3;border-radius:6px}
button{font-size:16px;padding:8px 16px;cursor:pointer}label{display:block;margin-bottom:8px}`;

/** Pure. `text` with the characters that mean something in HTML replaced by their entities. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex"><title>${escapeHtml(title)}</title><style>${STYLE}</style></head>
<body><main>${body}</main></body></html>
`;
}

/**
 * Pure. The page of a token: leave the email's topic (when it has one), leave all marketing email, or
 * pause every email until a date (from tomorrow, `today` being YYYY-MM-DD). Each choice is its own form,
 * posted back to the same address.
 */
export function preferencePage(token: UnsubscribeToken, action: string, today: string): string {
  const to = escapeHtml(action);
  const topic =
    token.topic === undefined
      ? ''
      : `<form method="post" action="${to}" id="leave-topic"><input type="hidden" name="choice" value="topic">
<p>Stop the emails about <strong id="topic">${escapeHtml(token.topic)}</strong>; other emails go on.</p>
<button type="submit">Leave ${escapeHtml(token.topic)}</button></form>`;
  return page(
    'Your email preferences',
    `<h1>Your email preferences</h1>
${topic}
<form method="post" action="${to}" id="leave-all"><input type="hidden" name="choice" value="all">
<p>Stop all marketing email from us.</p><button type="submit">Unsubscribe from all</button></form>
<form method="post" action="${to}" id="pause"><input type="hidden" name="choice" value="pause">
<label for="until">Send me nothing until</label>
<input type="date" id="until" name="until" required min="${escapeHtml(nextDay(today))}">
<button type="submit">Pause</button></form>`,
  );
}

/** Pure. The page that confirms what was done. */
export function confirmationPage(token: UnsubscribeToken, choice: UnsubscribeChoice): string {
  return page('Done', `<h1>Done</h1><p id="confirmation">${escapeHtml(confirmationText(token, choice))}</p>`);
}

/** Pure. The page of a refused request (an altered or unknown token, a choice that cannot be read). */
export function problemPage(message: string): string {
  return page(
    'This link does not work',
    `<h1>This link does not work</h1><p id="problem">${escapeHtml(message)}</p>`,
  );
}

/** Pure. What a choice did, in a sentence for the person who made it. */
export function confirmationText(token: UnsubscribeToken, choice: UnsubscribeChoice): string {
  switch (choice.kind) {
    case 'topic':
      return token.topic === undefined
        ? 'You are unsubscribed from all our marketing email.'
        : `You will get no more emails about ${token.topic}.`;
    case 'all':
      return 'You are unsubscribed from all our marketing email.';
    case 'pause':
      return `We will send you nothing until ${choice.until}.`;
    default:
      return assertNever(choice);
  }
}

/** Pure. The day after `day` (YYYY-MM-DD), in the same form. */
export function nextDay(day: string): string {
  const next = new Date(`${day}T00:00:00Z`);
  next.setUTCDate(next.getUTCDate() + 1);
  return next.toISOString().slice(0, 10);
}
