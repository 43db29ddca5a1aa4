#!/usr/bin/env node
// The `warden` command: runs the TypeScript CLI through tsx, so no build step is needed after `npm ci`.
// Plain CommonJS that any Node parses, so that an old Node gets one line saying what to do, not a trace.
const REQUIRED_MAJOR = 24;
const major = Number(process.versions.node.split('.')[0]);
if (!(major >= REQUIRED_MAJOR)) {
  process.stderr.write(
    `warden: needs Node.js ${REQUIRED_MAJOR} or later, and this is ${process.version}: after 'npm ci', run 'npx warden …' or 'npm run warden -- …', which use the project's Node ${REQUIRED_MAJOR}\n`,
  );
  process.exit(2);
}
require('tsx/cjs');
require('./warden.ts');
