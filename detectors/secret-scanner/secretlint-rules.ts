import { lintSource } from '@secretlint/core';
import { creator as recommendedPreset } from '@secretlint/secretlint-rule-preset-recommend';

/**
 * secretlint's recommended preset: maintained rules for AWS, GCP, GitHub, GitLab, Slack, npm,
 * SendGrid, Shopify, OpenAI, Anthropic, Linear, 1Password, private keys, basic auth and database
 * connection strings. It judges `NAME=value`, so context-dependent rules (AWS secret access key) see
 * the variable name as well.
 */
const CONFIG = { rules: [{ id: '@secretlint/secretlint-rule-preset-recommend', rule: recommendedPreset }] };

/** The secretlint rule ids that match, e.g. `@secretlint/secretlint-rule-github`. */
export async function secretlintMatches(name: string, value: string): Promise<string[]> {
  const result = await lintSource({
    source: { filePath: `/env/${name}`, content: `${name}=${value}`, contentType: 'text' },
    options: { config: CONFIG, maskSecrets: true },
  });
  return [...new Set(result.messages.map((message) => message.ruleId))];
}
