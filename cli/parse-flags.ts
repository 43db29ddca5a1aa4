import { parseArgs, type ParseArgsConfig } from 'node:util';
import { errorMessage } from '../core/errors';
import { didYouMean } from '../core/text/did-you-mean';
import { UsageError } from './io';

type Options = NonNullable<ParseArgsConfig['options']>;

/** `util.parseArgs` in strict mode, with its errors turned into usage errors (exit code 2). */
export function parseFlags<T extends Options>(args: readonly string[], options: T) {
  try {
    return parseArgs({ args: [...args], options, allowPositionals: true, strict: true });
  } catch (error) {
    const message = errorMessage(error).replace(/\. To specify a positional argument.*$/, '');
    const unknown = /^Unknown option '--([^']+)'/.exec(message)?.[1];
    const guess = unknown ? didYouMean(unknown, Object.keys(options)) : undefined;
    throw new UsageError(guess ? `${message} (did you mean '--${guess}'?)` : message, { cause: error });
  }
}
