#!/usr/bin/env node
// The compiled CLI lives in dist/ (built by `npm ci` through the prepare script).
import { main } from '../dist/appliance/cli.js';

main(process.argv.slice(2)).then((code) => {
  if (code !== 0 || !process.argv.slice(2).includes('start')) process.exit(code);
});
