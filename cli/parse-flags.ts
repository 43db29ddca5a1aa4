import { parseArgs, type ParseArgsConfig } from 'node:util';
import { errorMessage } from '../core/errors';
import { UsageError } from './io';

type Options = NonNullable<ParseArgsConfig['options']>;

/** `util.parseArgs` in strict mode, with its errors turned into usage errors (exit code 2). */
export function parseFlags<T extends Options>(args: readonly string[], options: T) {
  try {
    return parseArgs({ args: [...args], options, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError(errorMessage(error).replace(/\. To specify a positional argument.*$/, ''), { cause: error });
  }
}
