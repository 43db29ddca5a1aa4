/* eslint-disable jest/no-export, jest/valid-title, jest/valid-describe-callback -- a describe helper, not a test file */
import { motoAvailable } from '../../examples/emulator/moto';

/**
 * `describe` for the AWS emulator layers. Jest leaves those folders out when moto_server is absent and
 * not required (jest.config.js); where it is required (`.ci/run`) and absent, the layer fails loudly.
 */
export function describeWithEmulator(name: string, body: () => void): void {
  if (motoAvailable()) return describe(name, body);
  return describe(name, () => {
    it('needs moto_server on PATH (pip install "moto[server]")', () => {
      expect(motoAvailable()).toBe(true);
    });
  });
}
