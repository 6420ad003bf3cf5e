#!/usr/bin/env node
// gradlab — the GradLab core under Node.  See docs/cli.md.
//   node bin/gradlab.js <command> [--flag value ...] [--json]
// Bad input prints one line to stderr and exits with 2; nothing else is printed.
import { main } from '../lib/cli.js';

process.exitCode = await main(process.argv.slice(2), {
  out: (s) => process.stdout.write(s),
  err: (s) => process.stderr.write(s),
});
