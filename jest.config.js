const { spawnSync } = require('node:child_process');

/*
 * The AWS emulator layers (test/emulator, test/chaos) need moto_server. CI's machines have it, and
 * `.ci/run` sets WARDEN_REQUIRE_EMULATOR=1, so there a missing moto_server fails those tests. Elsewhere
 * `npm test` says so in one loud line and leaves only those two folders out.
 */
const EMULATOR_LAYERS = ['<rootDir>/test/emulator/', '<rootDir>/test/chaos/'];
const motoAvailable = spawnSync('moto_server', ['--help'], { stdio: 'ignore' }).status === 0;
const leaveOut = !motoAvailable && process.env.WARDEN_REQUIRE_EMULATOR !== '1';
if (leaveOut) process.stderr.write("\n!!! moto_server not found: the AWS emulator and chaos layers are NOT RUN. Install it with: pip install 'moto[server]'\n\n");

/* The browser layer (test/browser) needs Chromium; `.ci/run` installs it and sets WARDEN_REQUIRE_BROWSER=1. */
const chromiumAvailable = require('node:fs').existsSync(process.env.CHROMIUM_PATH ?? '/usr/bin/chromium');
const leaveOutBrowser = !chromiumAvailable && process.env.WARDEN_REQUIRE_BROWSER !== '1';
if (leaveOutBrowser) process.stderr.write('\n!!! Chromium not found: the browser layer (the HTML report) is NOT RUN. Install it with: apt-get install chromium\n\n');

/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  testPathIgnorePatterns: ['/node_modules/', ...(leaveOut ? EMULATOR_LAYERS : []), ...(leaveOutBrowser ? ['<rootDir>/test/browser/'] : [])],
  transform: {
    '^.+\\.ts$': ['@swc/jest', { jsc: { target: 'es2023', parser: { syntax: 'typescript' } }, module: { type: 'commonjs' } }],
  },
  moduleFileExtensions: ['ts', 'js', 'json'],
  setupFilesAfterEnv: [],
  globalSetup: '<rootDir>/test/support/global-setup.ts',
  testTimeout: 30000,
};
