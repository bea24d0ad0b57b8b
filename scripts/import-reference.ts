/**
 * One-time import: turns the structured reference (../shared/reference/services.json) into
 * catalogue files in shared/catalogue/services/. The committed files are the source of truth
 * afterwards: they are reviewed, translated into Kazakh and corrected by hand, so this script
 * never overwrites an existing file unless given --force.
 *
 *   npx tsx scripts/import-reference.ts [--force] [path/to/services.json]
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

type Json = Record<string, unknown>;
const root = path.resolve(import.meta.dirname, '..');
const args = process.argv.slice(2);
const force = args.includes('--force');
const src = args.find((a) => !a.startsWith('--')) ?? path.join(root, '..', 'shared', 'reference', 'services.json');
const outDir = path.join(root, 'shared', 'catalogue', 'services');

const ACTOR: Record<string, string> = {
  office_clerk: 'clerk',
  district_office_clerk: 'clerk',
  district_specialist: 'clerk',
  con_worker: 'clerk',
  con_collector: 'clerk',
  sc_worker: 'clerk',
  sc_collector: 'clerk',
  district_employee: 'executor',
  head: 'head',
  district_head: 'head',
  deputy_head: 'head',
  department_head: 'head',
  executor: 'executor',
  district_executor: 'executor',
  responsible_specialist: 'executor',
  labour_migration_officer: 'executor',
  social_worker_assessment: 'executor',
  commission: 'commission',
  local_commission: 'commission',
  special_commission: 'commission',
  applicant: 'applicant',
  portal: 'system',
  system: 'system',
  external: 'system',
  district_office: 'executor',
};

const DELIVERY: Record<string, string | null> = {
  in_person: 'in_person',
  provider_office: 'in_person',
  proxy: 'proxy',
  mail: 'mail',
  written_notice: 'mail',
  via_con: 'via_con',
  via_state_corporation: 'via_state_corporation',
  portal_personal_cabinet: 'portal',
  portal_download: 'portal',
  email: 'email',
  e_licensing: 'e_licensing',
  bank_transfer: 'bank_transfer',
  unspecified: null,
};

/** A text in the source language; the other language is left empty for the translator. */
const text = (value: string | null | undefined, lang: 'kk' | 'ru'): { kk: string; ru: string } =>
  lang === 'kk' ? { kk: value ?? '', ru: '' } : { kk: '', ru: value ?? '' };

function norm(max: Json | null | undefined): Json | null {
  if (!max || max['value'] === null || max['value'] === undefined) return null;
  const value = Number(max['value']);
  let unit = String(max['unit']);
  if (unit === 'working_days' && value === 0) unit = 'same_working_day';
  const out: Json = { value, unit };
  if (typeof max['text'] === 'string') out['text'] = max['text'];
  if (max['reconstructed'] === true) out['reconstructed'] = true;
  return out;
}

function channels(code: string): string[] {
  return code
    .split('|')
    .map((c) => (c === 'external' ? 'provider_office' : c))
    .filter((c, i, a) => a.indexOf(c) === i);
}

function convert(s: Json): Json {
  const lang = s['source_language'] === 'kk' ? 'kk' : 'ru';
  const act = s['source_act'] as Json;
  const repealed = act['repealed_by'] as Json | null;
  const names = s['names'] as Json;
  const commissions = (s['commissions'] as Json[] | null) ?? [];
  const recommends = commissions.some((c) => /рекоменд|ұсыным|recommend/i.test(JSON.stringify(c)));
  const fee = s['fee'] as Json;
  const variants = (s['variants'] as Json[]).map((v) => {
    const deadline = ((v['deadline'] as Json[] | null) ?? []).find((d) => d['value'] !== null) ?? null;
    const applies = (v['applies_to'] as Json | null) ?? {};
    const steps = (v['steps'] as Json[]).map((st) => {
      const branch = (st['branch'] as Json | null) ?? null;
      const out: Json = {
        id: `s${String(st['n'])
          .toLowerCase()
          .replace(/[^a-z0-9]+/g, '-')}`,
        n: String(st['n']),
        kind: st['kind'],
        actor: ACTOR[String(st['role'])] ?? 'executor',
        role: st['role'],
        action: { kk: typeof st['action_kk'] === 'string' ? st['action_kk'] : '', ru: String(st['action_ru']) },
        norm: norm(st['max'] as Json | null),
      };
      if (typeof st['channel'] === 'string') out['channel'] = st['channel'];
      if (branch && typeof branch['condition'] === 'string') out['condition'] = text(branch['condition'], lang);
      if (st['kind'] === 'commission') out['commission'] = { binding: recommends ? 'recommendation' : 'decision' };
      if (st['kind'] === 'applicant_wait') {
        const timeout = branch && typeof branch['on_timeout'] === 'string' ? branch['on_timeout'] : '';
        out['onExpire'] = /отказ/i.test(timeout) ? 'refuse_intake' : 'close_not_supplied';
      }
      const notes = [st['note'], (st['max'] as Json | null)?.['note'], branch ? JSON.stringify(branch) : null]
        .filter((x): x is string => typeof x === 'string')
        .join(' | ');
      if (notes) out['note'] = notes;
      return out;
    });
    const out: Json = {
      id: String(v['id']),
      label: { kk: '', ru: String(v['label']) },
      channels: channels(String(v['channel'])),
      deadline: norm(deadline),
      steps,
    };
    if (Array.isArray(applies['procedure'])) out['procedures'] = applies['procedure'];
    if (Array.isArray(applies['applicant'])) out['applicants'] = applies['applicant'];
    if (typeof applies['ict'] === 'boolean') out['ict'] = applies['ict'];
    return out;
  });
  const delivery = ((s['result_delivery'] as Json[] | null) ?? [])
    .map((d) => DELIVERY[String(d['mode'])] ?? null)
    .filter((d, i, a): d is string => d !== null && a.indexOf(d) === i);
  const hours = JSON.stringify(s['office_hours'] ?? '').includes('18:30') ? 'provider_long' : 'provider';
  const permit = String(s['id']).includes('permit');
  return {
    id: s['id'],
    version: '1',
    validFrom: act['date'],
    validTo: repealed?.['date'] ?? null,
    source: {
      file: s['source_file'],
      ref: s['source_ref'] ?? '',
      language: lang,
      act: `${String(act['issuer'])}, ${String(act['type'])} от ${String(act['date'])} № ${String(act['number'])}`,
      repealedBy: repealed
        ? `${String(repealed['type'])} от ${String(repealed['date'])} № ${String(repealed['number'])}`
        : null,
      standard: ((s['standard'] as Json | null)?.['ref'] as string | undefined) ?? null,
    },
    names: { kk: typeof names['kk'] === 'string' ? names['kk'] : '', ru: String(names['ru']) },
    provider: text(String((s['provider'] as Json)['name']), lang),
    recipients: permit ? ['legal_entity', 'person'] : ['person'],
    channels: [...new Set(((s['channels'] as Json[] | null) ?? []).map((c) => String(c['code'])))],
    officeHours: hours,
    fee: { free: fee['free'] ?? null, text: typeof fee['text'] === 'string' ? text(fee['text'], lang) : null },
    consentRequired: s['consent_confidential_info'] !== null && s['consent_confidential_info'] !== undefined,
    homeVisit: s['home_visit'] !== null && s['home_visit'] !== undefined,
    documents: { items: [], toBeConfigured: true },
    results: ((s['results'] as Json[] | null) ?? []).map((r) => ({
      type: r['type'],
      name: text(String(r['text']), lang),
    })),
    delivery: delivery.length > 0 ? delivery : ['in_person'],
    variants,
    ambiguities: s['ambiguities'] ?? [],
  };
}

const services = JSON.parse(readFileSync(src, 'utf8')) as Json[];
mkdirSync(outDir, { recursive: true });
for (const s of services) {
  const file = path.join(outDir, `${String(s['id'])}.json`);
  if (existsSync(file) && !force) {
    process.stdout.write(`kept ${path.relative(root, file)} (exists; --force to overwrite)` + '\n');
    continue;
  }
  writeFileSync(file, JSON.stringify(convert(s), null, 2) + '\n');
  process.stdout.write(`wrote ${path.relative(root, file)}` + '\n');
}
