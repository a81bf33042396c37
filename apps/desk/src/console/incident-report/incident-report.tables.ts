import { ANSWER_SEND_PATHS, type IncidentReportFigures } from '@madoguchi/incident-response';
import { TICKET_CATEGORIES, TICKET_CATEGORY_KEYS, TICKET_CHANNELS } from '@madoguchi/tickets';
import { formatText, formatTokyoDateTime } from '@madoguchi/ui';
import { CALLS_TEXTS } from '../calls/calls.texts';
import { SHARED_TEXTS } from '../../web';
import { INCIDENT_REPORT_TEXTS as R } from './incident-report.texts';

/**
 * The report's figures as tables: one model that both the page and the CSV are drawn from, so
 * the two always say the same. A cell's key is `<table>.<row>` (one-column tables) or
 * `<table>.<row>.<column>`; the page carries it as `data-key`, the CSV in its key column.
 */
export interface ReportColumn {
  key: string;
  label: string;
}

export interface ReportRow {
  key: string;
  label: string;
  cells: readonly (number | string)[];
}

export interface ReportTable {
  id: string;
  caption: string;
  /** One column with an empty key: a list of labelled values. */
  columns: readonly ReportColumn[];
  rows: readonly ReportRow[];
  /** A short definition printed under the table. */
  note?: string;
}

export interface ReportPart {
  id: string;
  heading: string;
  tables: ReportTable[];
  /** A line in place of tables (the access section hidden from a viewer). */
  message?: string;
}

const CALL_OUTCOME_ORDER = Object.keys(CALLS_TEXTS.outcomes);

export function cellKey(table: ReportTable, row: ReportRow, column: ReportColumn): string {
  return column.key === '' ? `${table.id}.${row.key}` : `${table.id}.${row.key}.${column.key}`;
}

function list(
  id: string,
  caption: string,
  rows: readonly { key: string; label: string; value: number | string }[],
  note?: string,
): ReportTable {
  return {
    id,
    caption,
    columns: [{ key: '', label: R.calls.count }],
    rows: rows.map((row) => ({ key: row.key, label: row.label, cells: [row.value] })),
    note,
  };
}

/** A table with columns, given as `{ key: label }` in their order. */
function matrix(
  id: string,
  caption: string,
  columns: Readonly<Record<string, string>>,
  rows: readonly ReportRow[],
  note?: string,
): ReportTable {
  const list = Object.entries(columns).map(([key, label]) => ({ key, label }));
  return { id, caption, columns: list, rows, note };
}

function part(id: string, heading: string, tables: ReportTable[]): ReportPart {
  return { id, heading, tables };
}

function percent(share: number | null): string {
  return share === null ? SHARED_TEXTS.common.none : `${(share * 100).toFixed(1)}%`;
}

function dateTime(at: Date | null): string {
  return at ? formatTokyoDateTime(at) : SHARED_TEXTS.common.none;
}

/** Every part of one merchant's (or the total's) figures, in the order the page shows them. */
export function reportParts(figures: IncidentReportFigures): ReportPart[] {
  const S = R.sections;
  const inq = figures.inquiries;
  const inquiries = part('inquiries', S.inquiries, [
    list('inquiries.state', S.state, [
      { key: 'total', label: R.inquiries.total, value: inq.total },
      { key: 'open', label: R.inquiries.open, value: inq.open },
      { key: 'resolved', label: R.inquiries.resolved, value: inq.resolved },
      { key: 'handed_back', label: R.inquiries.handedBack, value: inq.handedBack },
    ]),
    list(
      'inquiries.category',
      S.byCategory,
      TICKET_CATEGORY_KEYS.map((key) => ({
        key,
        label: TICKET_CATEGORIES[key],
        value: inq.byCategory[key],
      })),
    ),
    list(
      'inquiries.channel',
      S.byChannel,
      TICKET_CHANNELS.map((key) => ({
        key,
        label: SHARED_TEXTS.channels[key],
        value: inq.byChannel[key],
      })),
    ),
    {
      id: 'inquiries.day',
      caption: S.byDay,
      columns: [
        ...TICKET_CATEGORY_KEYS.map((key) => ({ key, label: TICKET_CATEGORIES[key] })),
        ...TICKET_CHANNELS.map((key) => ({ key, label: SHARED_TEXTS.channels[key] })),
        { key: 'total', label: R.inquiries.dayTotal },
      ],
      rows: inq.days.map((day) => ({
        key: day.date,
        label: day.date,
        cells: [
          ...TICKET_CATEGORY_KEYS.map((key) => day.byCategory[key]),
          ...TICKET_CHANNELS.map((key) => day.byChannel[key]),
          day.total,
        ],
      })),
    },
  ]);
  // Every known outcome (zeros included, so two reports line up), then any other one recorded.
  const outcomes = [
    ...CALL_OUTCOME_ORDER,
    ...Object.keys(figures.calls.byOutcome).filter((key) => !CALL_OUTCOME_ORDER.includes(key)),
  ];
  const outcomeLabels = CALLS_TEXTS.outcomes as Readonly<Record<string, string>>;
  const calls = part('calls', S.calls, [
    list(
      'calls',
      S.calls,
      [
        { key: 'total', label: R.calls.total, value: figures.calls.total },
        ...outcomes.map((key) => ({
          key: `outcome.${key}`,
          label: `${R.calls.outcome}: ${outcomeLabels[key] ?? key}`,
          value: figures.calls.byOutcome[key] ?? 0,
        })),
        { key: 'linked', label: R.calls.linked, value: figures.calls.linkedToIncident },
      ],
      R.calls.note,
    ),
  ]);
  const al = figures.affectedList;
  const affectedList = part('affected-list', S.affectedList, [
    list(
      'affected_list',
      S.affectedList,
      [
        { key: 'rows', label: R.affectedList.rows, value: al.rows },
        { key: 'values.email', label: R.affectedList.email, value: al.values.email },
        { key: 'values.phone', label: R.affectedList.phone, value: al.values.phone },
        { key: 'values.order', label: R.affectedList.order, value: al.values.order },
        { key: 'values.total', label: R.affectedList.valuesTotal, value: al.values.total },
        { key: 'rows_rejected', label: R.affectedList.rowsRejected, value: al.rowsRejected },
        { key: 'uploads', label: R.affectedList.uploads, value: al.uploads },
        {
          key: 'last_upload_at',
          label: R.affectedList.lastUploadAt,
          value: dateTime(al.lastUploadAt),
        },
      ],
      R.affectedList.note,
    ),
  ]);
  const v = figures.verifications;
  const V = R.verifications;
  const verifications = part('verifications', S.verifications, [
    list('verifications', S.verifications, [
      { key: 'codes_sent', label: V.codesSent, value: v.codesSent },
      { key: 'verified', label: V.verified, value: v.verified },
      { key: 'failed', label: V.failed, value: v.failed },
      { key: 'expired', label: V.expired, value: v.expired },
      { key: 'pending', label: V.pending, value: v.pending },
      { key: 'wrong_entries', label: V.wrongEntries, value: v.wrongEntries },
      { key: 'tickets_verified', label: V.ticketsVerified, value: v.ticketsVerified },
    ]),
    list('verifications.outcome', S.verificationOutcomes, [
      { key: 'included', label: V.included, value: v.outcomes.included },
      { key: 'not_included', label: V.notIncluded, value: v.outcomes.not_included },
      { key: 'undetermined', label: V.undetermined, value: v.outcomes.undetermined },
    ]),
  ]);
  const A = R.answers;
  const pathLabels = { agent: A.agent, bulk: A.bulk, status_page: A.statusPage };
  const answersSent = part('answers-sent', S.answersSent, [
    {
      id: 'answers',
      caption: S.answersSent,
      columns: [
        ...ANSWER_SEND_PATHS.map((path) => ({ key: path, label: pathLabels[path] })),
        { key: 'total', label: A.total },
        { key: 'verbatim', label: A.verbatim },
        { key: 'edited', label: A.edited },
      ],
      rows: figures.answersSent.map((row) => ({
        key: row.purpose,
        label: A.purposes[row.purpose] ?? row.purpose,
        cells: [
          ...ANSWER_SEND_PATHS.map((path) => row.byPath[path]),
          row.total,
          row.verbatim,
          row.edited,
        ],
      })),
    },
  ]);
  const C = R.corrections;
  const c = figures.corrections;
  const correctionTables: ReportTable[] = [];
  if (c.templates.length > 0) {
    const columns = {
      purpose: C.purpose,
      version_in_use: C.versionInUse,
      superseded: C.superseded,
      outdated: C.outdated,
    };
    const rows = c.templates.map((t) => ({
      key: String(t.templateId),
      label: t.title,
      cells: [
        A.purposes[t.purpose] ?? t.purpose,
        t.versionInUse === null
          ? C.noneApproved
          : formatText(C.versionInUseValue, { version: t.versionInUse }),
        t.supersededVersions,
        t.outdatedReceivers,
      ],
    }));
    correctionTables.push(matrix('corrections.template', S.correctionTemplates, columns, rows));
  }
  correctionTables.push(
    list('corrections', S.corrections, [
      { key: 'superseded', label: C.superseded, value: c.supersededVersions },
      { key: 'outdated', label: C.outdated, value: c.outdatedReceivers },
      { key: 'runs', label: C.runs, value: c.correctionRuns },
      { key: 'sent', label: C.sent, value: c.correctionsSent },
      { key: 'skipped', label: C.skipped, value: c.correctionsSkipped },
      { key: 'pending', label: C.pending, value: c.correctionsPending },
      { key: 'replies', label: C.replies, value: c.correctionReplies },
    ]),
  );
  const corrections = part('corrections', S.corrections, correctionTables);
  const handBacks = part('hand-backs', S.handBacks, [
    list('hand_backs', S.handBacks, [
      { key: 'handed_back', label: R.handBacks.handedBack, value: figures.handBacks.handedBack },
      {
        key: 'still',
        label: R.handBacks.stillHandedBack,
        value: figures.handBacks.stillHandedBack,
      },
      { key: 'answered', label: R.handBacks.answered, value: figures.handBacks.answered },
      { key: 'reminded', label: R.handBacks.reminded, value: figures.handBacks.reminded },
    ]),
  ]);
  const merchantQuestions = part('merchant-questions', S.merchantQuestions, [
    list('merchant_questions', S.merchantQuestions, [
      { key: 'asked', label: R.merchantQuestions.asked, value: figures.merchantQuestions.asked },
      {
        key: 'answered',
        label: R.merchantQuestions.answered,
        value: figures.merchantQuestions.answered,
      },
    ]),
  ]);
  const faq = part('faq', S.faq, [
    list(
      'faq',
      S.faq,
      [
        { key: 'views', label: R.faq.views, value: figures.faq.views },
        {
          key: 'inquiries_after',
          label: R.faq.inquiriesAfter,
          value: figures.faq.inquiriesAfter,
        },
      ],
      R.faq.note,
    ),
  ]);
  const DT = R.determinations;
  const d = figures.determinations;
  const determinations = part('determinations', S.determinations, [
    matrix(
      'determinations',
      S.determinations,
      { verified_email: DT.verifiedEmail, agent: DT.agent, total: DT.total },
      [
        {
          key: 'included',
          label: DT.included,
          cells: [d.included.verifiedEmail, d.included.agent, d.included.total],
        },
        {
          key: 'not_included',
          label: DT.notIncluded,
          cells: [d.notIncluded.verifiedEmail, d.notIncluded.agent, d.notIncluded.total],
        },
      ],
    ),
    list('determinations.state', S.determinations, [
      { key: 'review_flagged', label: DT.reviewFlagged, value: d.reviewFlagged },
      { key: 'superseded', label: DT.superseded, value: d.superseded },
    ]),
  ]);
  const L = R.sla;
  const slaRow = (
    key: string,
    label: string,
    f: IncidentReportFigures['sla']['firstResponse'],
  ) => ({
    key,
    label,
    cells: [f.met, f.missed, f.pending, percent(f.shareWithinTarget)],
  });
  const sla = part('sla', S.sla, [
    matrix('sla', S.sla, { met: L.met, breached: L.breached, pending: L.pending, share: L.share }, [
      slaRow('first_response', L.firstResponse, figures.sla.firstResponse),
      slaRow('resolution', L.resolution, figures.sla.resolution),
    ]),
  ]);
  const X = R.access;
  const access: ReportPart = { id: 'access', heading: S.access, tables: [] };
  if (figures.access === null) {
    access.message = X.hidden;
  } else if (figures.access.users.length === 0) {
    access.message = X.none;
  } else {
    const columns = {
      role: X.role,
      views: X.views,
      tickets_viewed: X.ticketsViewed,
      exports: X.exports,
    };
    const rows = [
      ...figures.access.users.map((user) => ({
        key: `user.${user.userId}`,
        label: user.name,
        cells: [
          user.role ? SHARED_TEXTS.roles[user.role] : SHARED_TEXTS.common.none,
          user.views,
          user.ticketsViewed,
          user.exports,
        ],
      })),
      {
        key: 'total',
        label: X.total,
        cells: [
          '',
          figures.access.views,
          // Several users may open the same ticket: a sum of theirs would count it twice.
          '',
          figures.access.exports,
        ],
      },
    ];
    access.tables.push(matrix('access', S.access, columns, rows, X.note));
  }
  return [
    inquiries,
    calls,
    faq,
    affectedList,
    verifications,
    determinations,
    answersSent,
    corrections,
    handBacks,
    merchantQuestions,
    sla,
    access,
  ];
}
