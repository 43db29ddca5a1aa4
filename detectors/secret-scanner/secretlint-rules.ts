import type { KeywordRules } from './prefilter';

/**
 * secretlint's recommended preset (MIT): maintained rules for AWS, GCP, private keys, basic auth in
 * URLs, database connection strings, and vendor tokens. Each rule is created once and its `file`
 * handler called directly per `NAME=value` (secretlint's lintSource sets up a whole run per call: too
 * slow for a sweep). A rule runs only when the text holds one of its keywords, the literals its
 * patterns cannot match without; a rule the preset gains without keywords here fails a unit test.
 * The preset loads on first use (a lazy `require`, which the bundler keeps lazy): a cold start that
 * judges no environment pays nothing for it.
 */
export const SECRETLINT_KEYWORDS: Readonly<Record<string, readonly string[]>> = {
  '@secretlint/secretlint-rule-aws': ['akia', 'asia', 'a3t', 'agpa', 'aida', 'aroa', 'aipa', 'anpa', 'anva', 'aws', 'secret'],
  '@secretlint/secretlint-rule-gcp': ['private_key', 'service_account'],
  '@secretlint/secretlint-rule-privatekey': ['private key'],
  '@secretlint/secretlint-rule-npm': ['npm_', '_authtoken', 'x-oauth-basic'],
  '@secretlint/secretlint-rule-basicauth': ['://'],
  '@secretlint/secretlint-rule-slack': ['xox', 'xapp-', 'hooks.slack.com'],
  '@secretlint/secretlint-rule-sendgrid': ['sg.'],
  '@secretlint/secretlint-rule-shopify': ['shppa_', 'shpca_', 'shpat_', 'shpss_'],
  '@secretlint/secretlint-rule-github': ['ghp_', 'gho_', 'ghu_', 'ghs_', 'ghr_', 'github_pat_'],
  '@secretlint/secretlint-rule-gitlab': ['gl'],
  '@secretlint/secretlint-rule-grafana': ['glc_', 'glsa_'],
  '@secretlint/secretlint-rule-openai': ['sk-', 't3blbkfj'],
  '@secretlint/secretlint-rule-anthropic': ['sk-ant-'],
  '@secretlint/secretlint-rule-groq': ['gsk_'],
  '@secretlint/secretlint-rule-huggingface': ['hf_', 'api_org_'],
  '@secretlint/secretlint-rule-linear': ['lin_'],
  '@secretlint/secretlint-rule-notion': ['ntn_', 'secret_'],
  '@secretlint/secretlint-rule-1password': ['ops_'],
  '@secretlint/secretlint-rule-database-connection-string': ['://'],
  '@secretlint/secretlint-rule-hashicorp-vault': ['hvs.', 'hvb.', 'hvr.'],
  '@secretlint/secretlint-rule-vercel': ['vcp_', 'vci_', 'vca_', 'vcr_', 'vck_'],
  '@secretlint/secretlint-rule-databricks': ['dapi', 'dkea', 'dose'],
  '@secretlint/secretlint-rule-docker': ['dckr_'],
  '@secretlint/secretlint-rule-figma': ['fig'],
};

/** Rules of the preset that judge nothing in an environment value. */
export const SECRETLINT_NOT_USED: readonly string[] = ['@secretlint/secretlint-rule-filter-comments'];

/** The parts of secretlint's rule and source shapes that a direct call needs. */
interface SecretLintSource {
  readonly filePath: string;
  readonly content: string;
  readonly contentType: 'text';
  readonly ext: string;
}

interface SecretLintRuleCreator {
  readonly meta: { readonly id: string };
  readonly create: (context: unknown, options: unknown) => { readonly file?: (source: SecretLintSource) => unknown };
}

interface Handler {
  readonly ruleId: string;
  readonly file: (source: SecretLintSource) => unknown;
}

let loaded: { handlers: readonly Handler[]; keywordRules: KeywordRules } | undefined;
/** What the rule being called reported: its id and the reported text's range. */
const reports: { readonly ruleId: string; readonly range: readonly [number, number] }[] = [];

function presetRules(): readonly SecretLintRuleCreator[] {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- lazy on purpose, see above
  const preset = require('@secretlint/secretlint-rule-preset-recommend') as { creator: { rules: readonly SecretLintRuleCreator[] } };
  return preset.creator.rules;
}

/** The preset's rules, keyed by id (for the keyword test). */
export function presetRuleIds(): string[] {
  return presetRules().map((rule) => rule.meta.id);
}

function load() {
  if (loaded) return loaded;
  const handlers: Handler[] = [];
  for (const rule of presetRules()) {
    const ruleId = rule.meta.id;
    if (SECRETLINT_NOT_USED.includes(ruleId) || !SECRETLINT_KEYWORDS[ruleId]) continue;
    const context = {
      sharedOptions: {},
      createTranslator: () => (messageId: string, data: unknown) => ({ message: messageId, messageId, data }),
      report: (descriptor: { readonly range: readonly [number, number] }) => {
        reports.push({ ruleId, range: descriptor.range });
      },
      ignore: () => undefined,
    };
    const handler = rule.create(context, {});
    if (handler.file) handlers.push({ ruleId, file: handler.file });
  }
  const keywords: string[] = [];
  const handlersOf: number[][] = [];
  handlers.forEach((handler, handlerIndex) => {
    for (const keyword of SECRETLINT_KEYWORDS[handler.ruleId] ?? []) {
      keywords.push(keyword);
      handlersOf.push([handlerIndex]);
    }
  });
  loaded = { handlers, keywordRules: { keywords, rulesOf: handlersOf, unconditional: [] } };
  return loaded;
}

/** The preset's keywords for the scanner's prefilter: rules numbered in the preset's order. */
export function secretlintKeywordRules(): KeywordRules {
  return load().keywordRules;
}

/** What a secretlint rule found: the rule and the text it reported (the caller keeps it inside). */
export interface SecretlintHit {
  readonly ruleId: string;
  readonly secret: string;
}

/**
 * The first secretlint rule among `candidates` (the prefilter's) that reports `NAME=value` (e.g.
 * `@secretlint/secretlint-rule-github`) with a text that `accept` accepts (the caller vetoes
 * placeholders and ignored rules).
 */
export function secretlintHit(
  name: string,
  line: string,
  candidates: readonly number[],
  accept: (ruleId: string, secret: string) => boolean,
): SecretlintHit | undefined {
  const { handlers } = load();
  const source: SecretLintSource = { filePath: `/env/${name}`, content: line, contentType: 'text', ext: '' };
  for (const handlerIndex of candidates) {
    reports.length = 0;
    (handlers[handlerIndex] as Handler).file(source);
    for (const report of reports) {
      const secret = line.slice(report.range[0], report.range[1]);
      if (accept(report.ruleId, secret)) return { ruleId: report.ruleId, secret };
    }
  }
  return undefined;
}
