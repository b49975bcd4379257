#!/usr/bin/env node
import { loadEnvFile } from '../core/env-file';
import { run } from './program';

loadEnvFile();

// run() turns every failure into an exit code; it does not reject.
void run(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
