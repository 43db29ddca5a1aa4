/**
 * Imports gitleaks' maintained rule list (config/gitleaks.toml, MIT licence) into the data file the
 * Lambda environment scanner loads: detectors/secret-scanner/rules/gitleaks-rules.json.
 *
 *   (from the project root) npx tsx scripts/import-gitleaks-rules.ts <path to gitleaks.toml> <gitleaks commit>
 *
 * gitleaks writes its patterns for Go's RE2; this converts them to JavaScript (inline `(?i)` becomes a
 * flag or a modifier group, POSIX classes become ranges, `\z` becomes `$`) and keeps only what judging
 * one `NAME=value` needs: the pattern, keywords, entropy, secret group and the finding allowlists.
 * Path-only rules (files by name) do not apply to environment variables and are left out. Every
 * converted pattern is compiled here, so a conversion JavaScript cannot run fails the import, not a scan.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'smol-toml';
import { convertPattern } from './re2-to-js';

interface TomlAllowlist {
  readonly description?: string;
  readonly regexTarget?: 'secret' | 'match' | 'line';
  readonly condition?: 'OR' | 'AND';
  readonly regexes?: readonly string[];
  readonly stopwords?: readonly string[];
  readonly paths?: readonly string[];
  readonly commits?: readonly string[];
}

interface TomlRule {
  readonly id: string;
  readonly regex?: string;
  readonly path?: string;
  readonly entropy?: number;
  readonly secretGroup?: number;
  readonly keywords?: readonly string[];
  readonly allowlists?: readonly TomlAllowlist[];
}

interface TomlConfig {
  readonly allowlist?: TomlAllowlist;
  readonly rules: readonly TomlRule[];
}

function compiled(re2: string, where: string): { pattern: string; flags: string } {
  const converted = convertPattern(re2);
  try {
    new RegExp(converted.pattern, converted.flags);
  } catch (error) {
    throw new Error(`${where}: ${(error as Error).message}`, { cause: error });
  }
  return converted;
}

function allowlistOf(allowlist: TomlAllowlist, where: string) {
  return {
    ...(allowlist.regexTarget && allowlist.regexTarget !== 'secret' ? { target: allowlist.regexTarget } : {}),
    ...(allowlist.condition === 'AND' ? { condition: 'and' } : {}),
    ...(allowlist.regexes?.length ? { regexes: allowlist.regexes.map((regex, i) => compiled(regex, `${where} regex ${i}`)) } : {}),
    ...(allowlist.stopwords?.length ? { stopwords: [...new Set(allowlist.stopwords.map((word) => word.toLowerCase()))] } : {}),
  };
}

function main(): void {
  const [tomlPath, commit] = process.argv.slice(2);
  if (!tomlPath || !commit || !/^[0-9a-f]{40}$/.test(commit)) {
    throw new Error('usage: npx tsx scripts/import-gitleaks-rules.ts <gitleaks.toml> <40-hex gitleaks commit>');
  }
  const config = parse(readFileSync(tomlPath, 'utf8')) as unknown as TomlConfig;
  const rules = config.rules
    .filter((rule) => rule.regex !== undefined)
    .map((rule) => ({
      id: rule.id,
      ...compiled(rule.regex as string, rule.id),
      keywords: [...new Set((rule.keywords ?? []).map((word) => word.toLowerCase()))],
      ...(rule.entropy ? { entropy: rule.entropy } : {}),
      ...(rule.secretGroup ? { secretGroup: rule.secretGroup } : {}),
      ...(rule.allowlists?.length
        ? {
            allowlists: rule.allowlists
              .filter((allowlist) => allowlist.regexes?.length || allowlist.stopwords?.length)
              .map((allowlist, i) => allowlistOf(allowlist, `${rule.id} allowlist ${i}`)),
          }
        : {}),
    }));
  const out = {
    source: {
      project: 'gitleaks',
      url: 'https://github.com/gitleaks/gitleaks/blob/master/config/gitleaks.toml',
      commit,
      licence: 'MIT',
      copyright: 'Copyright (c) 2019 Zachary Rice',
    },
    allowlist: config.allowlist ? allowlistOf(config.allowlist, 'global allowlist') : {},
    rules,
  };
  const target = join(process.cwd(), 'detectors', 'secret-scanner', 'rules', 'gitleaks-rules.json');
  writeFileSync(target, `${JSON.stringify(out)}\n`);
  process.stdout.write(`${rules.length} rules written to ${target}\n`);
}

main();
