/* eslint-disable jest/no-export, jest/valid-title, jest/valid-describe-callback -- a describe helper, not a test file */
import { existsSync } from 'node:fs';

/** Where Debian's chromium package puts the browser (`apt-get install chromium`), or CHROMIUM_PATH. */
export const CHROMIUM = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';

/**
 * `describe` for the browser layer. Jest leaves test/browser out when Chromium is absent and not required
 * (jest.config.js); where it is required (`.ci/run` installs it) and absent, the layer fails loudly.
 */
export function describeWithBrowser(name: string, body: () => void): void {
  if (existsSync(CHROMIUM)) return describe(name, body);
  return describe(name, () => {
    it('needs Chromium (apt-get install chromium, or CHROMIUM_PATH)', () => {
      expect(existsSync(CHROMIUM)).toBe(true);
    });
  });
}
