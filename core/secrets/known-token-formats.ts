/**
 * Token formats that are unmistakable on their own: a value that matches one of these is a credential
 * wherever it appears. The policy validator uses them to refuse secrets pasted into the policy file;
 * the Lambda environment scanner has a fuller rule set of its own.
 */
export interface KnownTokenFormat {
  readonly id: string;
  readonly label: string;
  readonly pattern: RegExp;
}

export const KNOWN_TOKEN_FORMATS: readonly KnownTokenFormat[] = [
  { id: 'aws-access-key-id', label: 'AWS access key id', pattern: /\b(AKIA|ASIA|ABIA|ACCA)[A-Z2-7]{16}\b/ },
  { id: 'slack-token', label: 'Slack token', pattern: /\bxox[abposr]-[0-9A-Za-z-]{10,}/ },
  { id: 'slack-webhook', label: 'Slack incoming webhook URL', pattern: /hooks\.slack\.com\/services\/T[A-Z0-9]+\/B[A-Z0-9]+\/[A-Za-z0-9]+/ },
  { id: 'github-token', label: 'GitHub token', pattern: /\b(gh[pousr]_[A-Za-z0-9]{36,255}|github_pat_[A-Za-z0-9_]{22,255})\b/ },
  { id: 'gitlab-token', label: 'GitLab token', pattern: /\bglpat-[A-Za-z0-9_-]{20,}\b/ },
  { id: 'stripe-key', label: 'Stripe secret key', pattern: /\b(sk|rk)_(live|test)_[A-Za-z0-9]{16,}\b/ },
  { id: 'google-api-key', label: 'Google API key', pattern: /\bAIza[0-9A-Za-z_-]{35}\b/ },
  { id: 'sendgrid-key', label: 'SendGrid API key', pattern: /\bSG\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43}\b/ },
  { id: 'npm-token', label: 'npm access token', pattern: /\bnpm_[A-Za-z0-9]{36}\b/ },
  { id: 'twilio-key', label: 'Twilio API key', pattern: /\bSK[0-9a-fA-F]{32}\b/ },
  { id: 'atlassian-token', label: 'Atlassian API token', pattern: /\bATATT3[A-Za-z0-9_=-]{20,}/ },
  { id: 'private-key', label: 'private key block', pattern: /-----BEGIN ([A-Z]+ )?PRIVATE KEY( BLOCK)?-----/ },
  { id: 'jwt', label: 'JSON Web Token', pattern: /\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/ },
  { id: 'openai-key', label: 'OpenAI API key', pattern: /\bsk-(proj-|svcacct-)?[A-Za-z0-9_-]{20,}T3BlbkFJ[A-Za-z0-9_-]{20,}/ },
  { id: 'anthropic-key', label: 'Anthropic API key', pattern: /\bsk-ant-(api|admin)\d{2}-[A-Za-z0-9_-]{80,}/ },
  { id: 'url-credentials', label: 'credentials in a URL', pattern: /\b[a-z][a-z0-9+.-]*:\/\/[^/\s:@]*:[^/\s@]+@[^\s]+/i },
];

/** The first known token format the value contains, if any. */
export function findKnownTokenFormat(value: string): KnownTokenFormat | undefined {
  return KNOWN_TOKEN_FORMATS.find((format) => format.pattern.test(value));
}
