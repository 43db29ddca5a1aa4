/* eslint-disable jest/no-export, jest/valid-title, jest/valid-describe-callback -- a describe helper, not a test file */
import { motoAvailable } from '../../examples/emulator/moto';

/**
 * `describe` for the AWS emulator layer. CI's machines have moto_server; without it `npm test` says so in
 * one loud line and skips only this layer. `.ci/run` sets WARDEN_REQUIRE_EMULATOR=1, so there a missing
 * moto_server fails the run.
 */
export function describeWithEmulator(name: string, body: () => void): void {
  if (motoAvailable()) return describe(name, body);
  if (process.env['WARDEN_REQUIRE_EMULATOR'] === '1') {
    return describe(name, () => {
      it('needs moto_server on PATH (pip install "moto[server]")', () => {
        expect(motoAvailable()).toBe(true);
      });
    });
  }
  process.stderr.write(`\n!!! moto_server not found: SKIPPING the AWS emulator layer (${name}). Install it with: pip install 'moto[server]'\n\n`);
  // eslint-disable-next-line jest/no-disabled-tests -- skipped on purpose, and said so loudly above
  return describe.skip(name, body);
}

