import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { hashPassword, User } from '@madoguchi/auth';
import type { AppConfig } from '@madoguchi/config';
import { openDataSource } from '@madoguchi/schema';
import { Incident, IncidentMerchant } from '@madoguchi/incidents';
import { AFFECTED_LIST_MAX_BYTES } from '@madoguchi/incident-response';
import { percentile } from './stats';

/** /healthz latency while one merchant's 5 MB affected-customer list is uploaded. */
export interface UploadStallResult {
  fileBytes: number;
  fileRows: number;
  uploadStatus: number;
  uploadMs: number;
  /** /healthz probes answered while the upload ran (one after the other, 10 ms apart). */
  probes: number;
  p50: number;
  p99: number;
  max: number;
  /** The same probes with the desk idle, just before. */
  idle: { p50: number; p99: number; max: number };
}

/** A list of distinct rows (email, phone, order number) as large as an upload may be. */
export function affectedListCsv(maxBytes = AFFECTED_LIST_MAX_BYTES - 1024): {
  csv: Buffer;
  rows: number;
} {
  const lines = ['email,phone,order_number'];
  let size = lines[0].length + 1;
  let rows = 0;
  for (;;) {
    const n = rows + 1;
    const line = `shopper${n}@bench.example.jp,090${String(10_000_000 + n).slice(-8)},BENCH-${n}`;
    if (size + line.length + 1 > maxBytes) break;
    lines.push(line);
    size += line.length + 1;
    rows++;
  }
  return { csv: Buffer.from(`${lines.join('\n')}\n`, 'utf8'), rows };
}

/** A merchant admin of `merchantId` and an incident affecting that merchant (fresh each run). */
async function prepare(
  config: AppConfig,
  merchantId: number,
): Promise<{ email: string; password: string; incidentId: number }> {
  const email = `bench-admin-${randomBytes(4).toString('hex')}@madoguchi.test`;
  const password = randomBytes(12).toString('base64url');
  const dataSource = await openDataSource(config);
  try {
    const now = new Date();
    await dataSource.manager.insert(User, {
      email,
      displayName: 'ベンチ加盟店管理者',
      role: 'merchant_admin',
      merchantId,
      passwordHash: await hashPassword(password),
      totpSecret: null,
      totpLastStep: null,
      failedLoginCount: 0,
      lockedUntil: null,
      disabledAt: null,
      createdAt: now,
      updatedAt: now,
    });
    const incident = await dataSource.manager.insert(Incident, {
      title: 'ベンチ用インシデント',
      description: 'bench',
      leakedItems: 'メールアドレス、電話番号、注文番号',
      occurredFrom: null,
      occurredTo: null,
      createdByUserId: null,
      createdAt: now,
      updatedAt: now,
    });
    const incidentId = Number(incident.identifiers[0].id);
    await dataSource.manager.insert(IncidentMerchant, {
      incidentId,
      merchantId,
      affected: true,
      noticeDate: null,
    });
    return { email, password, incidentId };
  } finally {
    await dataSource.destroy();
  }
}

async function probe(deskUrl: string): Promise<number> {
  const started = performance.now();
  const response = await fetch(`${deskUrl}/healthz`);
  await response.arrayBuffer();
  return performance.now() - started;
}

function summary(samples: number[]): { p50: number; p99: number; max: number } {
  const sorted = [...samples].sort((a, b) => a - b);
  return {
    p50: percentile(sorted, 50),
    p99: percentile(sorted, 99),
    max: sorted[sorted.length - 1] ?? 0,
  };
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Logs a merchant admin in, then uploads a list of just under 5 MB (about 110,000 distinct
 * rows, three values each) while probing the desk's /healthz one request after another, 10 ms
 * apart, until the upload's answer arrives: what every other tenant's page waits for while one
 * merchant's list is read, checked, hashed and inserted.
 */
export async function measureUploadStall(
  config: AppConfig,
  deskUrl: string,
  merchantId: number,
): Promise<UploadStallResult> {
  const { email, password, incidentId } = await prepare(config, merchantId);
  const login = await fetch(`${deskUrl}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password }),
  });
  if (login.status !== 200) throw new Error(`merchant admin login failed (${login.status})`);
  const cookie = (login.headers.getSetCookie?.() ?? [])
    .map((header) => header.split(';')[0])
    .join('; ');
  const { csrfToken } = (await login.json()) as { csrfToken: string };

  const idle: number[] = [];
  for (let i = 0; i < 50; i++) {
    idle.push(await probe(deskUrl));
    await sleep(10);
  }

  const { csv, rows } = affectedListCsv();
  const form = new FormData();
  form.append('_csrf', csrfToken);
  form.append('mode', 'replace');
  form.append('file', new Blob([csv], { type: 'text/csv' }), 'list.csv');
  let done = false;
  const started = performance.now();
  const upload = fetch(`${deskUrl}/portal/affected-lists/${incidentId}`, {
    method: 'POST',
    headers: { cookie, accept: 'text/html' },
    body: form,
  }).then(async (response) => {
    await response.arrayBuffer();
    done = true;
    return { status: response.status, ms: performance.now() - started };
  });
  const during: number[] = [];
  while (!done) {
    during.push(await probe(deskUrl));
    await sleep(10);
  }
  const result = await upload;
  return {
    fileBytes: csv.length,
    fileRows: rows,
    uploadStatus: result.status,
    uploadMs: result.ms,
    probes: during.length,
    ...summary(during),
    idle: summary(idle),
  };
}
