#!/usr/bin/env node
// The `warden` command: runs the TypeScript CLI through tsx, so no build step is needed after `npm ci`.
require('tsx/cjs');
require('./warden.ts');
