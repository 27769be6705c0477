import { Logger } from '@aws-lambda-powertools/logger';

/**
 * The Powertools logger for a function. Local mode and tests keep logs quiet unless
 * `POWERTOOLS_LOG_LEVEL` asks otherwise.
 */
export const createLogger = (serviceName: string): Logger =>
  new Logger({
    serviceName,
    logLevel: (process.env.POWERTOOLS_LOG_LEVEL as 'INFO' | 'SILENT' | undefined) ?? 'INFO',
  });
