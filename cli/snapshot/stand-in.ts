import { createHmac, randomBytes } from 'node:crypto';
import { fingerprint } from '../../core/finding';
import { secretRule } from '../../detectors/secret-scanner/scan-variables';

/**
 * The part of a value that says what kind of credential it is, kept so a stand-in is judged the same:
 * a token's prefix (sk_live_, xoxb-, ghp_, glpat-, AKIA, eyJ), a URL's scheme, a PEM header.
 */
const SHAPE_PREFIX =
  /^(-----BEGIN [A-Z ]*-----|[a-z][a-z0-9+.-]*:\/\/|(AKIA|ASIA|ABIA|ACCA|AIza|ATATT3|SG\.|eyJ)|[A-Za-z]{2,6}[_-](?:[A-Za-z]{2,7}[_-])?(?:(?:api|admin)\d{2}-)?)/;
/** Words a stand-in keeps wherever they are: the markers some formats carry inside (OpenAI's T3BlbkFJ, JWT parts). */
const KEPT_INSIDE = /T3BlbkFJ|\.eyJ|-----END [A-Z ]*-----/g;

const CLASSES = ['0123456789', 'abcdefghijklmnopqrstuvwxyz', 'ABCDEFGHIJKLMNOPQRSTUVWXYZ'] as const;

/** Each letter and digit after the shape prefix replaced by another of its class, from a keyed stream; punctuation kept. */
function scramble(value: string, key: Buffer, seed: number): string {
  const keep = SHAPE_PREFIX.exec(value)?.[0].length ?? 0;
  const kept = new Set<number>();
  for (const match of value.matchAll(KEPT_INSIDE)) for (let i = match.index; i < match.index + match[0].length; i += 1) kept.add(i);
  const stream = createHmac('sha256', key).update(`${seed}:${value}`).digest();
  let out = value.slice(0, keep);
  for (let i = keep; i < value.length; i += 1) {
    const char = value[i] as string;
    const set = CLASSES.find((candidate) => candidate.includes(char));
    const byte = stream[i % stream.length] ?? 0;
    out += set && !kept.has(i) ? (set[(byte + i * 7 + seed) % set.length] as string) : char;
  }
  return out;
}

export interface StandIn {
  readonly value: string;
  /** The original's fingerprint (4 hex characters of its SHA-256), as findings name it. */
  readonly fingerprint: string;
  /** False when no stand-in kept the original's verdict: it is then a plain placeholder, judged no secret. */
  readonly verdictKept: boolean;
  /** Whether the scanner judged the original a secret. */
  readonly secret: boolean;
}

/**
 * Stand-ins for environment values: each keeps its shape class (letters for letters, digits for digits,
 * punctuation and a credential's prefix as they are), so the secret scanner judges it as it judged the
 * original, and nothing of the original's secret part survives. The key is new for every recording, so a
 * stand-in cannot be reversed by guessing.
 */
export class StandIns {
  private readonly key = randomBytes(32);

  of(name: string, value: string): StandIn {
    const verdict = secretRule(name, value);
    const candidates = Array.from({ length: 8 }, (_, seed) => scramble(value, this.key, seed)).filter((candidate) => candidate !== value);
    // The same rule if a stand-in can keep it; else at least the same verdict (a secret another rule names).
    const chosen =
      candidates.find((candidate) => secretRule(name, candidate) === verdict) ??
      candidates.find((candidate) => (secretRule(name, candidate) === undefined) === (verdict === undefined));
    const secret = verdict !== undefined;
    if (chosen !== undefined) return { value: chosen, fingerprint: fingerprint(value), verdictKept: true, secret };
    return { value: `warden-redacted-${fingerprint(value)}`, fingerprint: fingerprint(value), verdictKept: !secret, secret };
  }
}
