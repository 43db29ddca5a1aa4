import { aliasOf, isAwsManagedKey, keyGrant } from '../../../../core/aws/kms-keys';

describe('KMS key references', () => {
  it.each([
    ['alias/aws/sns', true],
    ['arn:aws:kms:us-east-1:111122223333:alias/aws/sqs', true],
    ['alias/orders', false],
    ['arn:aws:kms:us-east-1:111122223333:key/1a2b3c4d-5e6f-7a8b-9c0d-1e2f3a4b5c6d', false],
  ])('%s is an AWS managed key: %s', (key, managed) => {
    expect(isAwsManagedKey(key)).toBe(managed);
  });

  it('grants a key named by alias, or by alias ARN, as any key of the account with that alias', () => {
    const byAlias = {
      resources: ['arn:{partition}:kms:{region}:{account}:key/*'],
      conditions: { 'ForAnyValue:StringEquals': { 'kms:ResourceAliases': 'alias/orders' } },
    };
    expect(keyGrant('alias/orders')).toEqual(byAlias);
    expect(keyGrant('arn:aws:kms:us-east-1:111122223333:alias/orders')).toEqual(byAlias);
    expect(aliasOf('arn:aws:kms:us-east-1:111122223333:alias/orders')).toBe('alias/orders');
  });

  it('grants a key named by id or ARN as exactly that key', () => {
    expect(keyGrant('1a2b3c4d-5e6f-7a8b-9c0d-1e2f3a4b5c6d')).toEqual({
      resources: ['arn:{partition}:kms:{region}:{account}:key/1a2b3c4d-5e6f-7a8b-9c0d-1e2f3a4b5c6d'],
    });
    const arn = 'arn:aws:kms:us-east-1:111122223333:key/1a2b3c4d-5e6f-7a8b-9c0d-1e2f3a4b5c6d';
    expect(keyGrant(arn)).toEqual({ resources: [arn] });
  });
});
