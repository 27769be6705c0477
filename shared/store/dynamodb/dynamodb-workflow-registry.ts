import {
  type AttributeValue,
  BatchGetItemCommand,
  type BatchGetItemCommandOutput,
  ConditionalCheckFailedException,
  type DynamoDBClient,
  QueryCommand,
  TransactionCanceledException,
  TransactWriteItemsCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import { ProducerLimits } from '../../limits.ts';
import type { AdmissionPolicy, WorkflowPage, WorkflowRegistry } from '../port.ts';
import { Keys } from './keys.ts';
import { backOff, CONTENTION_REASONS } from './retry.ts';
import { TransactionRetriesExhaustedError } from './store-errors.ts';

export interface DynamoDbWorkflowRegistryOptions {
  readonly client: DynamoDBClient;
  readonly tableName: string;
  /** @default ProducerLimits.reasonCodesPerWorkflow */
  readonly reasonCodesPerWorkflow?: number;
  /** @default ProducerLimits.variantsPerWorkflow */
  readonly variantsPerWorkflow?: number;
  readonly onWrite?: () => void;
}

/** The capped sets a workflow's registry item holds, each a DynamoDB string set that only grows. */
const CAPPED_SETS = ['reasonCodes', 'variants'] as const;
type CappedSet = (typeof CAPPED_SETS)[number];

type Known = Record<CappedSet, Set<string>>;

/** Workflows remembered per registry instance. */
const CACHE_ENTRIES = 10_000;
const MAX_ATTEMPTS = 8;
/** BatchGetItem reads at most 100 keys per call. */
const BATCH_GET_KEYS = 100;

const knownOf = (item: Record<string, AttributeValue> | undefined): Known => ({
  reasonCodes: new Set(item?.reasonCodes?.SS ?? []),
  variants: new Set(item?.variants?.SS ?? []),
});
const nothingKnown = (): Known => knownOf(undefined);

/**
 * The DynamoDB adapter of {@link WorkflowRegistry}. Each workflow is one item under `WORKFLOWS`; a
 * new uncatalogued id is admitted in one transaction with the day's `WORKFLOWS_NEW` counter, which
 * refuses to pass the cap, so the cap holds however many functions admit at once. What an instance
 * has learnt is cached: a workflow it knows costs no request; the reason codes set only grows and
 * stops at its cap, so a full set answers from the cache too.
 *
 * @example
 * ```ts
 * const registry = new DynamoDbWorkflowRegistry({ client, tableName });
 * const refused = await registry.admitWorkflows(['invoice-triage'], policy);
 * ```
 */
export class DynamoDbWorkflowRegistry implements WorkflowRegistry {
  private readonly known = new Map<string, Known>();
  /** Ids refused on a day: the day's counter only grows, so a refusal stands until the day ends. */
  private readonly refused = new Map<string, string>();
  private readonly caps: Record<CappedSet, number>;

  constructor(private readonly options: DynamoDbWorkflowRegistryOptions) {
    this.caps = {
      reasonCodes: options.reasonCodesPerWorkflow ?? ProducerLimits.reasonCodesPerWorkflow,
      variants: options.variantsPerWorkflow ?? ProducerLimits.variantsPerWorkflow,
    };
  }

  async admitWorkflows(
    workflowIds: readonly string[],
    policy: AdmissionPolicy,
  ): Promise<ReadonlySet<string>> {
    const unknown = [...new Set(workflowIds)].filter((id) => !this.known.has(id));
    const refused = new Set(unknown.filter((id) => this.refused.get(id) === policy.day));
    const toRead = unknown.filter((id) => !refused.has(id));
    const found = await this.read(toRead);
    for (const id of toRead) {
      const item = found.get(id);
      if (item) {
        this.remember(id, knownOf(item));
        await this.touch(id, policy.nowIso);
      } else if (!(await this.register(id, policy))) {
        refused.add(id);
        this.refused.set(id, policy.day);
      }
    }
    return refused;
  }

  keptReasonCodes(workflowId: string, codes: readonly string[]): Promise<ReadonlySet<string>> {
    return this.kept(workflowId, 'reasonCodes', codes);
  }

  keptVariants(workflowId: string, variants: readonly string[]): Promise<ReadonlySet<string>> {
    return this.kept(workflowId, 'variants', variants);
  }

  async variantsOf(workflowId: string): Promise<string[]> {
    const item = (await this.read([workflowId])).get(workflowId);
    return [...knownOf(item).variants].sort();
  }

  /** Which of `values` the workflow's capped set keeps, adding new ones while there is room. */
  private async kept(
    workflowId: string,
    set: CappedSet,
    values: readonly string[],
  ): Promise<ReadonlySet<string>> {
    let known = this.known.get(workflowId);
    if (!known) {
      known = knownOf((await this.read([workflowId])).get(workflowId));
      this.remember(workflowId, known);
    }
    for (const value of new Set(values)) {
      if (known[set].has(value) || known[set].size >= this.caps[set]) continue;
      known = { ...known, [set]: await this.addToSet(workflowId, set, value) };
      this.remember(workflowId, known);
    }
    const kept = known[set];
    return new Set(values.filter((value) => kept.has(value)));
  }

  async listWorkflows(afterWorkflowId: string | undefined, limit: number): Promise<WorkflowPage> {
    const { Items = [], LastEvaluatedKey } = await this.options.client.send(
      new QueryCommand({
        TableName: this.options.tableName,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': { S: Keys.registry('').pk } },
        ProjectionExpression: 'sk, firstSeenAt, lastSeenAt',
        Limit: limit,
        ...(afterWorkflowId ? { ExclusiveStartKey: this.key(afterWorkflowId) } : {}),
      }),
    );
    const records = Items.map((item) => ({
      workflowId: item.sk?.S ?? '',
      firstSeenAt: item.firstSeenAt?.S ?? '',
      lastSeenAt: item.lastSeenAt?.S ?? '',
    }));
    const last = records.at(-1)?.workflowId;
    return { records, ...(LastEvaluatedKey && last ? { lastWorkflowId: last } : {}) };
  }

  private key(workflowId: string) {
    const key = Keys.registry(workflowId);
    return { pk: { S: key.pk }, sk: { S: key.sk } };
  }

  private async read(ids: readonly string[]): Promise<Map<string, Record<string, AttributeValue>>> {
    const found = new Map<string, Record<string, AttributeValue>>();
    for (let i = 0; i < ids.length; i += BATCH_GET_KEYS) {
      let keys: Record<string, AttributeValue>[] | undefined = ids
        .slice(i, i + BATCH_GET_KEYS)
        .map((id) => this.key(id));
      while (keys && keys.length > 0) {
        const { Responses, UnprocessedKeys }: BatchGetItemCommandOutput = await this.options.client.send(
          new BatchGetItemCommand({
            RequestItems: { [this.options.tableName]: { Keys: keys, ConsistentRead: true } },
          }),
        );
        for (const item of Responses?.[this.options.tableName] ?? []) found.set(item.sk?.S ?? '', item);
        keys = UnprocessedKeys?.[this.options.tableName]?.Keys;
      }
    }
    return found;
  }

  // A known workflow's lastSeenAt moves once per instance: it says "recently", not "this second".
  private async touch(workflowId: string, nowIso: string) {
    this.options.onWrite?.();
    await this.options.client.send(
      new UpdateItemCommand({
        TableName: this.options.tableName,
        Key: this.key(workflowId),
        UpdateExpression: 'SET lastSeenAt = :now',
        ExpressionAttributeValues: { ':now': { S: nowIso } },
      }),
    );
  }

  /** Registers a new workflow; false when the day's cap on new uncatalogued ids is used up. */
  private async register(workflowId: string, policy: AdmissionPolicy): Promise<boolean> {
    const register = {
      TableName: this.options.tableName,
      Key: this.key(workflowId),
      UpdateExpression: 'SET firstSeenAt = if_not_exists(firstSeenAt, :now), lastSeenAt = :now',
      ExpressionAttributeValues: { ':now': { S: policy.nowIso } },
    };
    this.options.onWrite?.();
    if (policy.catalogued(workflowId)) {
      await this.options.client.send(new UpdateItemCommand(register));
      this.remember(workflowId, nothingKnown());
      return true;
    }
    const slot = Keys.newWorkflows(policy.day);
    for (let attempt = 1; ; attempt++) {
      try {
        await this.options.client.send(
          new TransactWriteItemsCommand({
            TransactItems: [
              {
                Update: {
                  TableName: this.options.tableName,
                  Key: { pk: { S: slot.pk }, sk: { S: slot.sk } },
                  UpdateExpression: 'ADD admitted :one',
                  ConditionExpression: 'attribute_not_exists(admitted) OR admitted < :cap',
                  ExpressionAttributeValues: {
                    ':one': { N: '1' },
                    ':cap': { N: String(policy.newWorkflowsPerDay) },
                  },
                },
              },
              { Update: { ...register, ConditionExpression: 'attribute_not_exists(pk)' } },
            ],
          }),
        );
        this.remember(workflowId, nothingKnown());
        return true;
      } catch (error) {
        if (!(error instanceof TransactionCanceledException)) throw error;
        const [capReason, registryReason] = error.CancellationReasons ?? [];
        if (registryReason?.Code === 'ConditionalCheckFailed') {
          // Another function registered it meanwhile: it is known, and took no slot of ours.
          this.remember(workflowId, knownOf((await this.read([workflowId])).get(workflowId)));
          return true;
        }
        if (capReason?.Code === 'ConditionalCheckFailed') return false;
        const contended = [capReason, registryReason].some((r) => r?.Code && CONTENTION_REASONS.has(r.Code));
        if (!contended) throw error;
        if (attempt >= MAX_ATTEMPTS)
          throw new TransactionRetriesExhaustedError(
            [capReason, registryReason].map((r) => r?.Code ?? 'None').join(','),
          );
        // Every new workflow of the day contends on the one day counter: back off with full jitter.
        await backOff(attempt);
      }
    }
  }

  /** Adds a value unless the set is full; returns the set as stored afterwards. */
  private async addToSet(workflowId: string, set: CappedSet, value: string): Promise<Set<string>> {
    this.options.onWrite?.();
    try {
      const { Attributes } = await this.options.client.send(
        new UpdateItemCommand({
          TableName: this.options.tableName,
          Key: this.key(workflowId),
          UpdateExpression: 'ADD #set :value',
          // Only a registered workflow keeps values: admission always comes first, and an item created
          // here would list a workflow that was never admitted.
          ConditionExpression:
            'attribute_exists(pk) AND (attribute_not_exists(#set) OR size(#set) < :max OR contains(#set, :one))',
          ExpressionAttributeNames: { '#set': set },
          ExpressionAttributeValues: {
            ':value': { SS: [value] },
            ':one': { S: value },
            ':max': { N: String(this.caps[set]) },
          },
          ReturnValues: 'UPDATED_NEW',
        }),
      );
      return knownOf(Attributes)[set];
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
      return knownOf((await this.read([workflowId])).get(workflowId))[set];
    }
  }

  private remember(workflowId: string, known: Known) {
    this.known.delete(workflowId);
    this.known.set(workflowId, known);
    if (this.known.size > CACHE_ENTRIES) {
      const oldest = this.known.keys().next().value;
      if (oldest !== undefined) this.known.delete(oldest);
    }
  }
}
