import type * as Zod from 'zod';

/**
 * zod, loaded on first use. The schemas validate the policy at synth, in the CLI and in the docs; a
 * deployed function runs on the policy validated at synth and never loads zod (a lazy `require`,
 * which the bundler keeps lazy), so no schema library runs at its cold start.
 */
let loaded: typeof Zod | undefined;
export function zod(): typeof Zod {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- lazy on purpose, see above
  loaded ??= require('zod') as typeof Zod;
  return loaded;
}

/** A value built on first use, once: how schemas are declared, so that declaring one loads nothing. */
export function lazy<T>(build: (z: typeof Zod) => T): () => T {
  let built: { value: T } | undefined;
  return () => (built ??= { value: build(zod()) }).value;
}
