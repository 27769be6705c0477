import { RemovalPolicy } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import type { FunctionName } from '../../shared/config/functions.ts';
import { FunctionPermissions, STREAM_READ_ACTIONS } from '../../shared/config/permissions.ts';
import { STREAM_VIEW_TYPE } from '../../shared/store/dynamodb/stream-filter.ts';
import { TableKeys } from '../../shared/store/dynamodb/table.ts';

const WRITES = new Set<string>([
  'dynamodb:PutItem',
  'dynamodb:UpdateItem',
  'dynamodb:DeleteItem',
  'dynamodb:BatchWriteItem',
]);

// Reading the stream is authorised on the stream's ARN, not the table's: these never go on the table.
const STREAM_ACTIONS = new Set<string>(STREAM_READ_ACTIONS);

export interface StoreProps {
  /**
   * `RETAIN` (or any policy that keeps data) also turns on deletion protection.
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
  /** @default - the AWS managed key `aws/dynamodb` */
  readonly encryptionKey?: kms.IKey;
}

/**
 * The single metrics table (layout in `shared/store/dynamodb/table.ts`): on demand, point-in-time
 * recovery, TTL on `expiresAt`, KMS encryption, and a stream (new and old images) that feeds the
 * counters function.
 *
 * @example
 * ```ts
 * const store = new Store(this, 'Store', { removalPolicy: RemovalPolicy.RETAIN });
 * store.grant(apiFunction.role, 'api');
 * store.grantStreamRead(countersFunction.role, 'counters');
 * ```
 */
export class Store extends Construct {
  readonly table: dynamodb.Table;
  private readonly encryptionKey?: kms.IKey;

  constructor(scope: Construct, id: string, props: StoreProps = {}) {
    super(scope, id);
    const removalPolicy = props.removalPolicy ?? RemovalPolicy.RETAIN;
    this.encryptionKey = props.encryptionKey;
    this.table = new dynamodb.Table(this, 'Table', {
      partitionKey: { name: TableKeys.partitionKey, type: dynamodb.AttributeType.STRING },
      sortKey: { name: TableKeys.sortKey, type: dynamodb.AttributeType.STRING },
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      timeToLiveAttribute: TableKeys.timeToLive,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      // The AWS managed key rather than the AWS owned default, so the table is KMS-encrypted with a
      // key whose use shows in CloudTrail, at no monthly key fee.
      encryption: props.encryptionKey
        ? dynamodb.TableEncryption.CUSTOMER_MANAGED
        : dynamodb.TableEncryption.AWS_MANAGED,
      encryptionKey: props.encryptionKey,
      deletionProtection: removalPolicy !== RemovalPolicy.DESTROY,
      removalPolicy,
      // Every recorded event reaches the counters function through the stream (docs/counting.md);
      // MODIFYs carry the old image so a counted version another delivery overwrote can be put back.
      stream: dynamodb.StreamViewType[STREAM_VIEW_TYPE],
    });
  }

  /** The stream's ARN (the table always has one). */
  get streamArn(): string {
    const arn = this.table.tableStreamArn;
    if (!arn) throw new Error('the metrics table has no stream');
    return arn;
  }

  /**
   * Grants one function exactly its table actions from the one permission source
   * (`shared/config/permissions.ts`, which local mode enforces too), and use of the table key if
   * customer managed. Stream-read actions are left out: {@link grantStreamRead} grants them on the stream.
   */
  grant(grantee: iam.IGrantable, functionName: FunctionName): void {
    const actions = FunctionPermissions[functionName].dynamodb.filter(
      (action: string) => !STREAM_ACTIONS.has(action),
    );
    if (actions.length === 0) return;
    this.table.grant(grantee, ...actions);
    if (this.encryptionKey) {
      // Named actions rather than grantEncryptDecrypt(), which adds kms:ReEncrypt* and kms:GenerateDataKey*.
      if (actions.some((action) => WRITES.has(action))) {
        this.encryptionKey.grant(grantee, 'kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey');
      } else {
        this.encryptionKey.grant(grantee, 'kms:Decrypt');
      }
    }
  }

  /**
   * Grants one function its stream-read actions from the permission source, on the stream's ARN
   * only: what Lambda's event source mapping calls with the function's role. (The CDK's
   * `grantStreamRead` would add `dynamodb:ListStreams` on `*`; the stream ARN is enough.) Decrypting
   * the records needs the table key, which {@link grant} already gives a function that writes.
   */
  grantStreamRead(grantee: iam.IGrantable, functionName: FunctionName): void {
    const actions = FunctionPermissions[functionName].dynamodb.filter((action: string) =>
      STREAM_ACTIONS.has(action),
    );
    if (actions.length === 0) return;
    iam.Grant.addToPrincipal({ grantee, actions, resourceArns: [this.streamArn] });
    this.encryptionKey?.grant(grantee, 'kms:Decrypt');
  }
}
