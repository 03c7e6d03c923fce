/**
 * The plain form of a text, for finding secrets in it: the encodings a value picks up on its way
 * through URLs, JSON and wrapped server messages are undone, and every character of the plain
 * form remembers the span of the original it came from, so a secret found in the plain form is
 * replaced where it really stands. Undone: percent-escapes in either case (`%2f` and `%2F`, UTF-8
 * runs too), JSON's string escapes (`\/`, `\"`, `\\`, `\uXXXX`, `\t`), and line breaks (CR, LF,
 * or JSON's `\n` / `\r`) with the spaces around them: a key wrapped over two lines is one run.
 * `+` stays `+` (it is a token character); the form encoding's `+` for a space is matched as a
 * form of the secret instead (see secret-redactor.ts).
 */
import { REDACTED } from './redact.js';

/** A found stretch of text: [start, end). */
export type Span = readonly [number, number];

export interface PlainForm {
  readonly text: string;
  /** Where each character of `text` starts in the original, and where it ends (exclusive). */
  readonly from: Int32Array;
  readonly to: Int32Array;
}

/** Only text with one of these can differ from its plain form. */
const MAY_HIDE = /[%\\\r\n]/;
const HEX = /^[0-9a-fA-F]+$/;
const utf8 = new TextDecoder('utf-8', { fatal: true });
const JSON_ESCAPES: Record<string, string> = { '/': '/', '"': '"', '\\': '\\', t: '\t', b: '\b', f: '\f' };
const isSpace = (c: string | undefined) => c === ' ' || c === '\t';

const hexAt = (text: string, i: number, digits: number): number | null => {
  const part = text.slice(i, i + digits);
  return part.length === digits && HEX.test(part) ? parseInt(part, 16) : null;
};

/** The plain form, or null when the text has nothing to undo (the common case: no copy made). */
export function plainForm(text: string): PlainForm | null {
  if (!MAY_HIDE.test(text)) return null;
  const units: number[] = [];
  const from: number[] = [];
  const to: number[] = [];
  const push = (chars: string, start: number, end: number) => {
    for (let k = 0; k < chars.length; k++) {
      units.push(chars.charCodeAt(k));
      from.push(start);
      to.push(end);
    }
  };
  /** A line break: the spaces before it are dropped, and the indentation after it. */
  const lineBreak = (end: number): number => {
    while (units.length && isSpace(String.fromCharCode(units[units.length - 1]!))) {
      units.pop();
      from.pop();
      to.pop();
    }
    let next = end;
    while (isSpace(text[next])) next++;
    return next;
  };
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (c === '%') {
      const byte = hexAt(text, i + 1, 2);
      if (byte !== null && byte < 0x80) {
        push(String.fromCharCode(byte), i, i + 3);
        i += 3;
        continue;
      }
      if (byte !== null) {
        // A run of escaped bytes above ASCII: one UTF-8 sequence (or more), decoded together.
        const bytes: number[] = [];
        let j = i;
        for (let b = hexAt(text, j + 1, 2); text[j] === '%' && b !== null && b >= 0x80; b = hexAt(text, j + 1, 2)) {
          bytes.push(b);
          j += 3;
        }
        try {
          push(utf8.decode(new Uint8Array(bytes)), i, j);
          i = j;
          continue;
        } catch {
          // Not UTF-8: kept as written.
        }
      }
    } else if (c === '\\' && i + 1 < text.length) {
      const next = text[i + 1]!;
      if (next === 'n' || next === 'r') {
        i = lineBreak(i + 2);
        continue;
      }
      if (JSON_ESCAPES[next] !== undefined) {
        push(JSON_ESCAPES[next], i, i + 2);
        i += 2;
        continue;
      }
      const code = next === 'u' ? hexAt(text, i + 2, 4) : null;
      if (code !== null) {
        push(String.fromCharCode(code), i, i + 6);
        i += 6;
        continue;
      }
    } else if (c === '\n' || c === '\r') {
      i = lineBreak(i + 1);
      continue;
    }
    push(c, i, i + 1);
    i++;
  }
  let plain = '';
  for (let k = 0; k < units.length; k += 8192) plain += String.fromCharCode(...units.slice(k, k + 8192));
  return { text: plain, from: Int32Array.from(from), to: Int32Array.from(to) };
}

const BASE64_RUN = /[A-Za-z0-9+/_-]{8,}={0,2}/g;

/** Base64 (standard or URL-safe) runs whose decoded bytes hold something `holds` recognises. */
function base64Spans(text: string, holds: (decoded: string) => boolean, least: number): Span[] {
  const spans: Span[] = [];
  for (const run of text.matchAll(BASE64_RUN)) {
    // A run decodes to 3 bytes per 4 characters: one too short to hold the shortest value is kept undecoded.
    if (Math.floor((run[0].length * 3) / 4) < least) continue;
    if (holds(Buffer.from(run[0], 'base64').toString('latin1'))) spans.push([run.index, run.index + run[0].length]);
  }
  return spans;
}

/**
 * Every stretch of `text` that `find` finds in its plain form (or in a base64 run of it), replaced
 * by the redaction mark in the original. `least`: the shortest thing `find` can find.
 */
export function redactFound(text: string, find: (plain: string) => Span[], least: number): string {
  if (text.length < least) return text;
  const plain = plainForm(text);
  const target = plain ? plain.text : text;
  const found = [...find(target), ...base64Spans(target, (decoded) => find(plainForm(decoded)?.text ?? decoded).length > 0, least)];
  if (!found.length) return text;
  const spans = found.map(([start, end]): Span => (plain ? [plain.from[start]!, plain.to[end - 1]!] : [start, end])).sort((a, b) => a[0] - b[0]);
  let out = '';
  let last = 0;
  for (const [start, end] of spans) {
    if (end <= last) continue;
    out += `${text.slice(last, Math.max(start, last))}${start >= last ? REDACTED : ''}`;
    last = end;
  }
  return out + text.slice(last);
}
