import {
  type DynamoDBClient,
  ThrottlingException,
  TransactionCanceledException,
} from '@aws-sdk/client-dynamodb';
import { pick } from '../../infra/local/demo/random.ts';

/**
 * Seeded faults for the aggregate function's DynamoDB calls, injected as AWS SDK middleware (DynamoDB
 * Local never cancels a transaction for contention nor throttles, so both are raised here), and
 * through the store's crash hooks. A schedule has a budget of faults, so that every schedule ends.
 */
export const Fault = {
  /** The call fails before it reaches DynamoDB: nothing was written. */
  beforeWrite: 'failure before a write',
  /** The write happened, and then the caller saw an error (a lost response). */
  afterWrite: 'failure after a write',
  transactionConflict: 'TransactionConflict cancellation',
  throttling: 'ThrottlingException',
  /** A crash hook (`beforeWrite`, `beforeUpdate`, `beforeSketchMerge`) throws, as a crash inside the store would. */
  hookCrash: 'crash in a store hook',
  /** The Lambda instance dies here: this and every later call fail, and SQS redelivers the whole batch. */
  processDeath: 'process death',
} as const;
export type FaultName = (typeof Fault)[keyof typeof Fault];

/** An injected fault, so that an unexpected error is never mistaken for one. */
export class InjectedFault extends Error {
  constructor(what: string) {
    super(`injected: ${what}`);
    this.name = 'InjectedFault';
  }
}

export interface FaultBudget {
  readonly random: () => number;
  /** Chance that a call (or hook) gets a fault while the budget lasts. */
  readonly probability: number;
  remaining: number;
  readonly injected: Partial<Record<FaultName, number>>;
}

/** The state of one simulated Lambda instance: once dead, every call it makes fails. */
export interface InstanceFate {
  dead: boolean;
}

const WRITES = new Set([
  'TransactWriteItemsCommand',
  'BatchWriteItemCommand',
  'PutItemCommand',
  'UpdateItemCommand',
]);

const draw = (budget: FaultBudget, candidates: readonly FaultName[]): FaultName | undefined => {
  if (budget.remaining <= 0 || budget.random() >= budget.probability) return undefined;
  const fault = pick(budget.random, candidates);
  budget.remaining--;
  budget.injected[fault] = (budget.injected[fault] ?? 0) + 1;
  return fault;
};

const die = (fate: InstanceFate): never => {
  fate.dead = true;
  throw new InjectedFault('the Lambda instance died');
};

const cancellation = (actions: number, random: () => number) => {
  const culprit = Math.floor(random() * actions);
  return new TransactionCanceledException({
    $metadata: {},
    message: 'Transaction cancelled, please refer cancellation reasons for specific reasons',
    CancellationReasons: Array.from({ length: actions }, (_, i) => ({
      Code: i === culprit ? 'TransactionConflict' : 'None',
    })),
  });
};

/**
 * Adds fault injection to a client: each call may fail before or after its write, be cancelled with
 * TransactionConflict, be throttled, or kill the instance, while the budget lasts.
 *
 * @example
 * ```ts
 * injectFaults(table.clientOf('aggregate'), budget, fate);
 * ```
 */
export const injectFaults = (client: DynamoDBClient, budget: FaultBudget, fate: InstanceFate): void => {
  client.middlewareStack.add(
    (next, context) => async (args) => {
      if (fate.dead) die(fate);
      const command = context.commandName ?? '';
      const write = WRITES.has(command);
      const transaction = command === 'TransactWriteItemsCommand';
      // Weights: a dead instance costs a cold start and a whole batch's redelivery, so it is rarer.
      const fault = draw(budget, [
        Fault.throttling,
        Fault.throttling,
        ...(write ? [Fault.beforeWrite, Fault.afterWrite, Fault.afterWrite] : []),
        ...(transaction ? [Fault.transactionConflict, Fault.transactionConflict, Fault.afterWrite] : []),
        ...(budget.random() < 0.3 ? [Fault.processDeath] : []),
      ]);
      switch (fault) {
        case undefined:
          return next(args);
        case Fault.processDeath:
          return die(fate);
        case Fault.throttling:
          throw new ThrottlingException({
            $metadata: {},
            message: 'Rate of requests exceeds the allowed throughput.',
          });
        case Fault.transactionConflict: {
          const items = (args.input as { TransactItems?: unknown[] }).TransactItems ?? [];
          throw cancellation(items.length, budget.random);
        }
        case Fault.afterWrite: {
          await next(args);
          if (fate.dead) die(fate);
          throw new InjectedFault(`${command} succeeded but its response was lost`);
        }
        default:
          throw new InjectedFault(`${command} failed before reaching DynamoDB`);
      }
    },
    { step: 'initialize', name: 'injectFaults' },
  );
};

/**
 * The crash hooks of the store (`beforeWrite`) and of the counter applier (`beforeUpdate`,
 * `beforeSketchMerge`), drawing from the same budget.
 *
 * @example
 * ```ts
 * new DynamoDbMetricsStore({ client, tableName, beforeWrite: crashHooks(budget, fate).beforeWrite });
 * ```
 */
export const crashHooks = (budget: FaultBudget, fate: InstanceFate) => {
  const hook = () => {
    if (fate.dead) die(fate);
    const fault = draw(budget, [Fault.hookCrash, Fault.hookCrash, Fault.hookCrash, Fault.processDeath]);
    if (fault === Fault.processDeath) die(fate);
    if (fault === Fault.hookCrash) throw new InjectedFault('crash before a write');
  };
  return { beforeWrite: hook, beforeUpdate: hook, beforeSketchMerge: hook };
};
