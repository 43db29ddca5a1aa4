import { readFileSync } from 'node:fs';
import * as z from 'zod';
import { errorMessage } from '../../core/errors';
import { InputError } from '../io';

const recorded = z.union([
  z.strictObject({ input: z.record(z.string(), z.unknown()).default({}), output: z.record(z.string(), z.unknown()) }),
  z.strictObject({ input: z.record(z.string(), z.unknown()).default({}), error: z.strictObject({ name: z.string().min(1), message: z.string() }) }),
]);

const snapshotSchema = z.strictObject({
  account: z.string().regex(/^\d{12}$/, 'expected a 12-digit account id'),
  region: z.string().min(1),
  /** Optional: the member stack's baseline web ACL in this account and region. */
  baselineWebAclArn: z.string().optional(),
  organizationalUnits: z.array(z.string()).default([]),
  /** What `warden snapshot record` replaced: each environment value's call, variable and fingerprint (never the value). */
  redacted: z.array(z.strictObject({ call: z.string(), variable: z.string(), fingerprint: z.string(), verdictKept: z.boolean() })).optional(),
  responses: z.record(
    z.string().regex(/^[A-Za-z0-9]+\.[A-Za-z0-9]+$/, 'expected "<Client>.<Operation>", e.g. "DynamoDB.DescribeTable"'),
    z.array(recorded),
  ),
});

export type Snapshot = z.output<typeof snapshotSchema>;
export type RecordedResponse = z.output<typeof recorded>;

/** Reads a Cloud Custodian "flight data"-style snapshot of recorded API responses. */
export function loadSnapshot(file: string): Snapshot {
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new InputError(`snapshot ${file}: ${errorMessage(error)}`, { cause: error });
  }
  const parsed = snapshotSchema.safeParse(data);
  if (!parsed.success) {
    const missing = parsed.error.issues
      .filter((issue) => issue.code === 'invalid_type' && issue.input === undefined)
      .map((issue) => issue.path.join('.'));
    if (missing.length > 0)
      throw new InputError(
        `snapshot ${file} has no ${missing.join(', ')}: a snapshot is { "account", "region", "responses": { "<Client>.<Operation>": [...] } } (see the README)`,
      );
    const issue = parsed.error.issues[0];
    throw new InputError(`snapshot ${file}: ${issue?.path.join('.') || '(root)'}: ${issue?.message ?? 'invalid'}`);
  }
  return parsed.data;
}
