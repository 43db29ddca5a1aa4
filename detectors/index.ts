import { CATALOGUE, type CheckId } from '../core/catalogue';
import { checkExport } from '../core/catalogue/check-module';
import type { AnyDetector } from './detector';

/** The detector of a check: the one value its module, detectors/<check-id>, exports for it. */
function detectorOf(check: CheckId): AnyDetector {
  // The module is named by the catalogue's id, so no registry lists the checks a second time; checkExport
  // finds the one value in it for the check, whatever else the module exports.
  // eslint-disable-next-line @typescript-eslint/no-require-imports, @typescript-eslint/no-unsafe-assignment -- loaded by the id, checked by checkExport
  const module: Record<string, AnyDetector> = require(`./${check}`);
  return checkExport(module, check);
}

/** Every detector by check id, from the catalogue (for the CLI; a Lambda's generated entry imports only its own). */
export const DETECTORS: Readonly<Record<CheckId, AnyDetector>> = Object.fromEntries(
  CATALOGUE.map((check) => [check.id, detectorOf(check.id)]),
) as Record<CheckId, AnyDetector>;
