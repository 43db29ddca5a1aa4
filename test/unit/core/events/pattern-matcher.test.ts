import { matchesPattern, type EventPattern } from '../../../../core/events/pattern-matcher';

// Event and patterns from the EventBridge User Guide, "Amazon EventBridge event patterns" and
// "Content filtering in Amazon EventBridge event patterns".
const EC2_EVENT = {
  version: '0',
  id: '6a7e8feb-b491-4cf7-a9f1-bf3703467718',
  'detail-type': 'EC2 Instance State-change Notification',
  source: 'aws.ec2',
  account: '111122223333',
  time: '2017-12-22T18:43:48Z',
  region: 'us-west-1',
  resources: ['arn:aws:ec2:us-west-1:123456789012:instance/i-1234567890abcdef0'],
  detail: { 'instance-id': 'i-1234567890abcdef0', state: 'terminated', 'c-count': 5, 'd-count': 3, 'x-limit': 301.8, 'source-ip': '10.0.0.123' },
};

describe('matchesPattern (EventBridge semantics)', () => {
  it.each<[string, EventPattern, boolean]>([
    ['exact values', { source: ['aws.ec2'], 'detail-type': ['EC2 Instance State-change Notification'] }, true],
    ['one of several values', { detail: { state: ['pending', 'terminated'] } }, true],
    ['a wrong value', { detail: { state: ['running'] } }, false],
    ['a missing field', { detail: { missing: ['x'] } }, false],
    ['prefix', { source: [{ prefix: 'aws.' }] }, true],
    ['prefix ignoring case', { 'detail-type': [{ prefix: { 'equals-ignore-case': 'ec2 instance' } }] }, true],
    ['suffix', { detail: { 'instance-id': [{ suffix: 'def0' }] } }, true],
    ['suffix ignoring case', { detail: { 'instance-id': [{ suffix: { 'equals-ignore-case': 'DEF0' } }] } }, true],
    ['equals-ignore-case', { detail: { state: [{ 'equals-ignore-case': 'TERMINATED' }] } }, true],
    ['anything-but a value', { detail: { state: [{ 'anything-but': 'initializing' }] } }, true],
    ['anything-but a list containing the value', { detail: { state: [{ 'anything-but': ['stopped', 'terminated'] }] } }, false],
    ['anything-but a prefix', { detail: { state: [{ 'anything-but': { prefix: 'init' } }] } }, true],
    ['anything-but a matching prefix', { detail: { state: [{ 'anything-but': { prefix: 'term' } }] } }, false],
    ['anything-but a suffix', { detail: { state: [{ 'anything-but': { suffix: 'ated' } }] } }, false],
    ['anything-but ignoring case', { detail: { state: [{ 'anything-but': { 'equals-ignore-case': ['Terminated'] } }] } }, false],
    ['anything-but a wildcard', { detail: { state: [{ 'anything-but': { wildcard: 'term*' } }] } }, false],
    ['anything-but on a missing field', { detail: { missing: [{ 'anything-but': 'x' }] } }, false],
    [
      'numeric range',
      { detail: { 'c-count': [{ numeric: ['>', 0, '<=', 5] }], 'd-count': [{ numeric: ['<', 10] }], 'x-limit': [{ numeric: ['=', 301.8] }] } },
      true,
    ],
    ['numeric out of range', { detail: { 'c-count': [{ numeric: ['>', 5] }] } }, false],
    ['numeric against a string', { detail: { state: [{ numeric: ['>', 0] }] } }, false],
    ['exists true', { detail: { state: [{ exists: true }] } }, true],
    ['exists false on a present field', { detail: { state: [{ exists: false }] } }, false],
    ['exists false on an absent field', { detail: { 'error-code': [{ exists: false }] } }, true],
    ['cidr', { detail: { 'source-ip': [{ cidr: '10.0.0.0/24' }] } }, true],
    ['cidr outside', { detail: { 'source-ip': [{ cidr: '10.0.1.0/24' }] } }, false],
    ['wildcard', { resources: [{ wildcard: 'arn:aws:ec2:*:*:instance/i-*' }] }, true],
    ['wildcard not matching', { resources: [{ wildcard: 'arn:aws:s3:::*' }] }, false],
    ['any element of an array field', { resources: ['arn:aws:ec2:us-west-1:123456789012:instance/i-1234567890abcdef0'] }, true],
    ['$or with one branch matching', { detail: { $or: [{ 'c-count': [{ numeric: ['>', 10] }] }, { 'd-count': [{ numeric: ['<', 5] }] }] } }, true],
    ['$or with no branch matching', { detail: { $or: [{ 'c-count': [{ numeric: ['>', 10] }] }, { state: ['running'] }] } }, false],
    ['$or at the top level', { $or: [{ source: ['aws.s3'] }, { region: ['us-west-1'] }] }, true],
    ['a literal number is not its string', { detail: { 'c-count': ['5'] } }, false],
  ])('%s', (_name, pattern, expected) => {
    expect(matchesPattern(pattern, EC2_EVENT)).toBe(expected);
  });

  it('flattens arrays of objects like EventBridge', () => {
    const event = {
      detail: {
        items: [
          { type: 'a', size: 1 },
          { type: 'b', size: 2 },
        ],
      },
    };
    expect(matchesPattern({ detail: { items: { type: ['b'] } } }, event)).toBe(true);
    expect(matchesPattern({ detail: { items: { type: ['c'] } } }, event)).toBe(false);
  });

  it('matches null literally and treats an empty array as absent', () => {
    expect(matchesPattern({ detail: { responseElements: [null] } }, { detail: { responseElements: null } })).toBe(true);
    expect(matchesPattern({ detail: { list: [{ exists: false }] } }, { detail: { list: [] } })).toBe(true);
  });

  it('rejects an unknown matcher', () => {
    expect(() => matchesPattern({ source: [{ regex: '.*' }] }, EC2_EVENT)).toThrow('unknown matcher regex');
  });
});
