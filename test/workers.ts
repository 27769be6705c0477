/**
 * Test files run at once. The suite mostly waits on DynamoDB Local, Chromium and child processes,
 * so on two cores two files at a time (each with its own DynamoDB Local) finish far sooner than
 * vitest's default of one worker per core less one.
 */
export const TEST_WORKERS = 2;
