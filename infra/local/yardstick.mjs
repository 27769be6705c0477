#!/usr/bin/env node
// `npx yardstick …`: runs the TypeScript CLI through tsx without a build step.
import { register } from 'tsx/esm/api';

register();
await import('./cli.ts');
