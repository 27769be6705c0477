/**
 * Test files run at once. The suite mostly waits on DynamoDB Local (each file starts its own, see
 * test/support/dynamodb.ts), Chromium and child processes, so on two cores two files at a time
 * finish far sooner than vitest's default of one worker per core less one.
 */
export const TEST_WORKERS = 2;
