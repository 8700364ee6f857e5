// Reading what the app sent: the loopback SMTP server (aiosmtpd, started with the app by
// start-server.sh) keeps every message it received in a Maildir.
import { expect } from '@playwright/test';
import * as fs from 'node:fs';
import * as path from 'node:path';

const MAILDIR = process.env.MOBILISE_E2E_MAIL ?? '/tmp/mobilise-e2e-mail-3100';

export interface Mail {
  file: string;
  headers: Map<string, string>;
  text: string;
  html: string;
}

function unfold(head: string): Map<string, string> {
  const headers = new Map<string, string>();
  let last = '';
  for (const line of head.split(/\r?\n/)) {
    if (/^[ \t]/.test(line) && last) {
      headers.set(last, `${headers.get(last)} ${line.trim()}`);
      continue;
    }
    const colon = line.indexOf(':');
    if (colon > 0) {
      last = line.slice(0, colon).toLowerCase();
      if (!headers.has(last)) headers.set(last, line.slice(colon + 1).trim());
    }
  }
  return headers;
}

function decode(body: string, encoding: string | undefined): string {
  const e = (encoding ?? '').toLowerCase();
  if (e === 'base64') return Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8');
  if (e === 'quoted-printable') {
    const soft = body.replace(/=\r?\n/g, '');
    const bytes: number[] = [];
    for (let i = 0; i < soft.length; i++) {
      if (soft[i] === '=' && /^[0-9A-F]{2}$/i.test(soft.slice(i + 1, i + 3))) {
        bytes.push(parseInt(soft.slice(i + 1, i + 3), 16));
        i += 2;
      } else {
        bytes.push(...Buffer.from(soft[i], 'utf8'));
      }
    }
    return Buffer.from(bytes).toString('utf8');
  }
  return body;
}

/** RFC 2047 encoded words, as lettre writes a subject or name that is not plain ASCII. */
function words(value: string): string {
  // Whitespace between two encoded words is not part of the text (RFC 2047 6.2); elsewhere it is.
  return value.replace(/=\?utf-8\?([bq])\?([^?]*)\?=(?:\s+(?==\?utf-8\?))?/gi, (_, kind: string, text: string) =>
    kind.toLowerCase() === 'b'
      ? Buffer.from(text, 'base64').toString('utf8')
      : decode(text.replace(/_/g, ' '), 'quoted-printable'));
}

function parse(file: string): Mail {
  const raw = fs.readFileSync(file, 'utf8');
  const split = raw.search(/\r?\n\r?\n/);
  const headers = unfold(raw.slice(0, split));
  for (const [k, v] of headers) headers.set(k, words(v));
  const body = raw.slice(split).replace(/^\r?\n\r?\n/, '');
  let text = '';
  let html = '';
  const boundary = /boundary="?([^";]+)"?/i.exec(headers.get('content-type') ?? '')?.[1];
  const parts = boundary ? body.split(`--${boundary}`) : [body];
  for (const part of parts) {
    const at = part.search(/\r?\n\r?\n/);
    if (at < 0) continue;
    const ph = boundary ? unfold(part.slice(0, at)) : headers;
    const content = decode(part.slice(at).replace(/^\r?\n\r?\n/, '').replace(/\r?\n$/, ''), ph.get('content-transfer-encoding'));
    const type = (ph.get('content-type') ?? '').toLowerCase();
    if (type.startsWith('text/plain')) text = content;
    if (type.startsWith('text/html')) html = content;
  }
  return { file, headers, text, html };
}

/** Every message received so far, oldest first. */
export function allMail(): Mail[] {
  const dir = path.join(MAILDIR, 'new');
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir)
    .map(f => path.join(dir, f))
    .sort((a, b) => fs.statSync(a).mtimeMs - fs.statSync(b).mtimeMs)
    .map(parse);
}

export function mailTo(address: string): Mail[] {
  return allMail().filter(m => (m.headers.get('to') ?? '').toLowerCase().includes(address.toLowerCase()));
}

/** Waits for the `count`-th message to `address` whose subject matches, and returns it. */
export async function waitForMail(address: string, subject: RegExp, count = 1): Promise<Mail> {
  let found: Mail[] = [];
  await expect.poll(() => {
    found = mailTo(address).filter(m => subject.test(m.headers.get('subject') ?? ''));
    return found.length;
  }, { message: `a message to ${address} about ${subject}`, timeout: 20_000, intervals: [200] }).toBeGreaterThanOrEqual(count);
  return found[count - 1];
}

/** The first link in the message's text that starts with the app's address and contains `part`. */
export function linkIn(mail: Mail, part: string): string {
  const link = mail.text.split(/\s+/).find(w => /^https?:\/\//.test(w) && w.includes(part));
  if (!link) throw new Error(`no link with ${part} in: ${mail.text}`);
  return link;
}
