/**
 * Redaction by value: what the app treats as a secret, and how it finds one in text.
 *
 * The rule, in one place (main/README.md says it too):
 * 1. A secret is a value the app accepted and holds: what its keychain entries hold (tokens,
 *    refresh tokens, client secrets, the user key), connections' Data2CRM application keys, and
 *    the values a sign-in makes (PKCE verifier, authorization code, the tokens of its redirect).
 *    A replaced one stays known for a while (a late error may quote it). A value typed into a
 *    secret field is none of these until the app has taken it: a rejected one (a username pasted
 *    as the user key, an org id pasted as a token) is never a secret and never blanks anything.
 * 2. What a request carried is removed from the server's answer to it (http/request.ts): a
 *    server that echoes a pasted token while rejecting it cannot show it, and that value is
 *    forgotten with the answer.
 * 3. A secret is found in its plain form (plain-form.ts): as is, percent-escaped in either case,
 *    form-encoded (`+` for a space), JSON-escaped (`\/`, `\uXXXX`), wrapped over two lines, or
 *    inside base64. Values shorter than 6 characters are never secrets (they would blank words).
 * 4. Behind that, redact.ts removes what has a token's shape (a Salesforce access or refresh
 *    token, a JWT, a Bearer credential) and fields named like secrets. Nothing else: identifiers
 *    (connection, org and user ids, names, hosts, URLs, file paths) are never blanked, however
 *    long.
 * The set of held values is process-wide (the app runs one core; short-lived values such as PKCE
 * verifiers register from deep in the sign-in code); `hold` tracks what each keychain account has.
 */
import { redactFound, type Span } from './plain-form.js';
import { redactText, redactValue } from './redact.js';

/** Shorter values would blank ordinary words; every secret the app accepts is at least this long. */
const MIN_SECRET_LENGTH = 6;
const PREFIX = 4;
/** Recent values that are not (or no longer) held: pasted tokens, codes, verifiers, rotated tokens. */
const TRANSIENT_MAX = 256;
/** Free-text fields, where the pattern rule also runs. */
const FREE_TEXT_KEYS = new Set(['message', 'statusDetail', 'detail', 'body', 'title']);

/**
 * Forms this long or longer are indexed by their first LONG characters: Salesforce tokens share
 * long prefixes (an access token starts with its org id, refresh tokens with "5Aep861"), so a
 * short key would put every connection's token in one list and make each lookup O(N).
 */
const LONG = 28;
/**
 * Every known form, indexed by its first characters; counted, as two owners may hold one value.
 * A key with one form (nearly all: tokens differ within their first 28 characters) holds the
 * string itself, not a list of one (a list per form was ≈ 56 bytes a form, 3 forms a connection).
 */
type Forms = string | readonly string[];
const index = new Map<string, Forms>();
const longIndex = new Map<string, Forms>();
/** How many forms (short or long) start with each PREFIX: most text positions stop at this one lookup. */
const heads = new Map<string, number>();
/**
 * Short forms are keyed by themselves and found by trying each short length known: keys such as
 * Data2CRM application keys may share any number of first characters ("app_…"), and a shared key
 * would make adding quadratic and each lookup O(N).
 */
const indexOf = (form: string) => (form.length >= LONG ? { map: longIndex, key: form.slice(0, LONG) } : { map: index, key: form });
/**
 * How many more owners hold a form than the one its index entry stands for: only forms held twice
 * or more are here (a count per form would be a map entry per secret, ≈ 90 bytes each at 10,000).
 */
const extraHolders = new Map<string, number>();
const transient: string[] = [];
/**
 * Cheap filters that spare most text the index lookups (a delta is redacted on every change): how
 * many forms have each length (text shorter than the shortest form holds none), and how many
 * start with each pair of Latin-1 characters (`wide` counts forms starting otherwise: no filter then).
 */
const lengths = new Map<number, number>();
let shortestCache: number | null = null;
/** The lengths of the short forms known, longest first (the longest match wins). */
let shortLengthsCache: number[] | null = null;
const pairs = new Uint32Array(65536);
let wide = 0;
const pairOf = (form: string) => (form.charCodeAt(0) <= 255 && form.charCodeAt(1) <= 255 ? (form.charCodeAt(0) << 8) | form.charCodeAt(1) : -1);

function countForm(form: string, step: 1 | -1): void {
  const left = (lengths.get(form.length) ?? 0) + step;
  if (left > 0) lengths.set(form.length, left);
  else lengths.delete(form.length);
  shortestCache = null;
  shortLengthsCache = null;
  const pair = pairOf(form);
  if (pair < 0) wide += step;
  else pairs[pair] = pairs[pair]! + step;
}

function shortLengths(): readonly number[] {
  shortLengthsCache ??= [...lengths.keys()].filter((length) => length < LONG).sort((a, b) => b - a);
  return shortLengthsCache;
}

/** The short form that starts at i, longest first. */
function shortAt(text: string, i: number): string | undefined {
  for (const length of shortLengths()) {
    if (i + length > text.length) continue;
    const forms = index.get(text.slice(i, i + length));
    if (forms !== undefined) return typeof forms === 'string' ? forms : forms[0];
  }
  return undefined;
}

/** The shortest known form's length (Infinity when none is known). */
function shortest(): number {
  shortestCache ??= lengths.size ? Math.min(...lengths.keys()) : Infinity;
  return shortestCache;
}

/** The indexed instance of a form, or undefined when the form is not known. */
function indexed(form: string): string | undefined {
  const { map, key } = indexOf(form);
  const held = map.get(key);
  return typeof held === 'string' ? (held === form ? held : undefined) : held?.find((f) => f === form);
}

function add(secret: string): void {
  for (const form of variants(secret)) {
    if (indexed(form) !== undefined) {
      extraHolders.set(form, (extraHolders.get(form) ?? 0) + 1);
      continue;
    }
    countForm(form, 1);
    const { map, key } = indexOf(form);
    heads.set(form.slice(0, PREFIX), (heads.get(form.slice(0, PREFIX)) ?? 0) + 1);
    const held = map.get(key);
    // Longest first, so a value that contains another is removed whole.
    map.set(key, held === undefined ? form : [...listOf(held), form].sort((a, b) => b.length - a.length));
  }
}

const listOf = (forms: Forms): readonly string[] => (typeof forms === 'string' ? [forms] : forms);

function remove(secret: string): void {
  for (const form of variants(secret)) {
    const extra = extraHolders.get(form);
    if (extra !== undefined) {
      if (extra > 1) extraHolders.set(form, extra - 1);
      else extraHolders.delete(form);
      continue;
    }
    if (indexed(form) === undefined) continue;
    countForm(form, -1);
    const { map, key } = indexOf(form);
    const head = form.slice(0, PREFIX);
    if ((heads.get(head) ?? 0) > 1) heads.set(head, heads.get(head)! - 1);
    else heads.delete(head);
    const rest = listOf(map.get(key) ?? []).filter((f) => f !== form);
    if (rest.length) map.set(key, rest.length === 1 ? rest[0]! : rest);
    else map.delete(key);
  }
}

/**
 * Remembers a short-lived secret for every redactor in the process: PKCE verifiers and codes are
 * made deep in the sign-in code, far from the composition root, so they register here.
 */
export function rememberSecret(value: string | undefined | null): void {
  if (!value || value.length < MIN_SECRET_LENGTH || transient.includes(value)) return;
  transient.push(value);
  add(value);
  if (transient.length > TRANSIENT_MAX) remove(transient.shift()!);
}

/**
 * The forms a value is looked for as, in text's plain form (percent-escapes already undone): as
 * is, and as the form encoding writes it (a space as "+").
 */
function variants(value: string): string[] {
  return value.includes(' ') ? [value, value.replaceAll(' ', '+')] : [value];
}

/** Shorter than every known form (also when none is known): nothing to find, as is or decoded. */
const least = () => Math.max(MIN_SECRET_LENGTH, shortest());

/** Where each held secret stands in plain text: longest first at each position, never overlapping. */
function heldSpans(text: string): Span[] {
  const spans: Span[] = [];
  const shortestForm = shortest();
  for (let i = 0; i + shortestForm <= text.length; ) {
    // Most positions start no known form: two character codes say so without a slice.
    if (wide === 0) {
      const a = text.charCodeAt(i);
      const b = text.charCodeAt(i + 1);
      if (a > 255 || b > 255 || pairs[(a << 8) | b] === 0) {
        i++;
        continue;
      }
    }
    const head = text.slice(i, i + PREFIX);
    // A long form is longer than any short one: tried first, so the longest match wins.
    const hit = heads.has(head) ? (firstAt(text, i, i + LONG <= text.length ? longIndex.get(text.slice(i, i + LONG)) : undefined) ?? shortAt(text, i)) : undefined;
    if (hit) {
      spans.push([i, i + hit.length]);
      i += hit.length;
    } else i++;
  }
  return spans;
}

/**
 * The instance the index holds of a value (the same characters), or the value itself when it is
 * not known: whoever keeps a secret (the vault) keeps this one, so a secret is in memory once.
 */
export function knownInstance(value: string): string {
  return indexed(value) ?? value;
}

/** Every held secret in any of its forms (see the header), replaced by the redaction mark. */
export function redactHeldSecrets(text: string): string {
  return redactFound(text, heldSpans, least());
}

/**
 * The given values (what one request carried) in any of their forms, replaced: for a server's
 * answer to that request. Nothing is remembered.
 */
export function redactValues(text: string, values: readonly (string | null | undefined)[]): string {
  const forms = [...new Set(values.filter((v): v is string => typeof v === 'string' && v.length >= MIN_SECRET_LENGTH).flatMap(variants))].sort((a, b) => b.length - a.length);
  if (!forms.length) return text;
  const find = (plain: string): Span[] => {
    const spans: Span[] = [];
    for (const form of forms) for (let at = plain.indexOf(form); at >= 0; at = plain.indexOf(form, at + form.length)) spans.push([at, at + form.length]);
    return spans;
  };
  return redactFound(text, find, forms[forms.length - 1]!.length);
}

export interface SecretRedactor {
  /** The secrets an owner (a keychain account) holds now; replaced ones stay known for a while. */
  hold(owner: string, values: readonly string[]): void;
  /** Value rule, then the pattern rule: for messages, details, log lines. */
  text(text: string): string;
  /** Value rule on every string of a structure (keys and shape kept), the pattern rule on free-text fields. */
  outbound<T>(value: T): T;
  /** For log fields: the value rule, then redact.ts's field-name and pattern rules. */
  fields(fields: Record<string, unknown>): unknown;
}

/** The first (longest) form of the list that stands in the text at i. */
function firstAt(text: string, i: number, forms: Forms | undefined): string | undefined {
  if (typeof forms === 'string') return text.startsWith(forms, i) ? forms : undefined;
  if (forms) for (const form of forms) if (text.startsWith(form, i)) return form;
  return undefined;
}

export function createSecretRedactor(): SecretRedactor {
  /** What each owner holds: one value as itself (an application key), more as a list. */
  const held = new Map<string, string | readonly string[]>();
  const heldBy = (owner: string): readonly string[] => listOf(held.get(owner) ?? []);

  function outbound(value: unknown, key: string | null, depth: number): unknown {
    if (typeof value === 'string') return key !== null && FREE_TEXT_KEYS.has(key) ? redactText(redactHeldSecrets(value)) : redactHeldSecrets(value);
    if (value === null || typeof value !== 'object' || depth > 12) return value;
    if (value instanceof Promise) return value.then((v: unknown) => outbound(v, key, depth));
    if (value instanceof Error) return { name: value.name, message: redactText(redactHeldSecrets(value.message)) };
    if (Array.isArray(value)) return value.map((item) => outbound(item, null, depth + 1));
    const out: Record<string, unknown> = {};
    for (const [k, item] of Object.entries(value)) out[k] = outbound(item, k, depth + 1);
    return out;
  }

  return {
    hold(owner, values) {
      const kept = values.filter((v) => v.length >= MIN_SECRET_LENGTH);
      const before = heldBy(owner);
      // Most writes keep what the owner had (a routine save of a record): nothing to re-index.
      if (kept.length === before.length && kept.every((v, i) => v === before[i])) return;
      kept.forEach(add);
      for (const old of before) {
        remove(old);
        // A replaced token may still show up in a late error message.
        if (!kept.includes(old)) rememberSecret(old);
      }
      // The index's instances: one copy of each secret, whoever handed it over.
      const shared = kept.map(knownInstance);
      if (shared.length > 1) held.set(owner, shared);
      else if (shared.length === 1) held.set(owner, shared[0]!);
      else held.delete(owner);
    },
    text: (text) => redactText(redactHeldSecrets(text)),
    outbound: <T>(value: T) => outbound(value, null, 0) as T,
    fields: (fields) => redactValue(outbound(fields, null, 0)),
  };
}
