import { RemovalPolicy } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import type { FunctionName } from '../../shared/config/functions.ts';
import { FunctionPermissions } from '../../shared/config/permissions.ts';
import { TableKeys } from '../../shared/store/dynamodb/table.ts';

const WRITES = new Set<string>([
  'dynamodb:PutItem',
  'dynamodb:UpdateItem',
  'dynamodb:DeleteItem',
  'dynamodb:BatchWriteItem',
]);

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
 * recovery, TTL on `expiresAt`, KMS encryption.
 *
 * @example
 * ```ts
 * const store = new Store(this, 'Store', { removalPolicy: RemovalPolicy.RETAIN });
 * store.grant(apiFunction.role, 'api');
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
    });
  }

  /**
   * Grants one function exactly its table actions from the one permission source
   * (`shared/config/permissions.ts`, which local mode enforces too), and use of the table key if
   * customer managed.
   */
  grant(grantee: iam.IGrantable, functionName: FunctionName): void {
    const actions: readonly string[] = FunctionPermissions[functionName].dynamodb;
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
}
