import { RemovalPolicy } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type { Construct } from 'constructs';

export interface EncryptedTableProps {
  /** The customer managed key; absent, the AWS managed key aws/dynamodb (KMS, with no key to pay for). */
  readonly key?: kms.IKey;
  readonly partitionKey: string;
  readonly sortKey?: string;
  readonly timeToLiveAttribute?: string;
  /** Records that must outlive the stack (audit, approvals): retained and deletion-protected. */
  readonly keep: boolean;
}

/** An on-demand table under a KMS key (customer or AWS managed) with point-in-time recovery: how Warden keeps data. */
export function encryptedTable(scope: Construct, id: string, props: EncryptedTableProps): dynamodb.Table {
  return new dynamodb.Table(scope, id, {
    partitionKey: { name: props.partitionKey, type: dynamodb.AttributeType.STRING },
    ...(props.sortKey ? { sortKey: { name: props.sortKey, type: dynamodb.AttributeType.STRING } } : {}),
    ...(props.timeToLiveAttribute ? { timeToLiveAttribute: props.timeToLiveAttribute } : {}),
    billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
    ...(props.key
      ? { encryption: dynamodb.TableEncryption.CUSTOMER_MANAGED, encryptionKey: props.key }
      : { encryption: dynamodb.TableEncryption.AWS_MANAGED }),
    pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
    deletionProtection: props.keep,
    removalPolicy: props.keep ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
  });
}
