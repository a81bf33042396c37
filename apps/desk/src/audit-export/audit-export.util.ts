import type { FastifyReply } from 'fastify';
import type { AuditLogExportFile, AuditLogExportLabels } from '@madoguchi/reporting';
import { auditActionLabel } from '../i18n/audit-actions.ja';
import { DESK_TEXTS } from '../i18n/ja';

/** The CSV's labels in Japanese: actions (AUDIT_ACTION_LABELS_JA), roles and actor kinds. */
export const AUDIT_EXPORT_LABELS_JA: AuditLogExportLabels = {
  action: auditActionLabel,
  role: (role) =>
    Object.prototype.hasOwnProperty.call(DESK_TEXTS.roles, role)
      ? DESK_TEXTS.roles[role as keyof typeof DESK_TEXTS.roles]
      : role,
  actorType: (type) =>
    Object.prototype.hasOwnProperty.call(DESK_TEXTS.supervisor.actorTypes, type)
      ? DESK_TEXTS.supervisor.actorTypes[type as keyof typeof DESK_TEXTS.supervisor.actorTypes]
      : type,
};

/** Sends an export as a download: never cached, never sniffed. */
export function sendCsv(reply: FastifyReply, file: AuditLogExportFile): void {
  void reply
    .status(200)
    .header('cache-control', 'no-store')
    .header('x-content-type-options', 'nosniff')
    .header('content-disposition', `attachment; filename="${file.filename}"`)
    .type('text/csv; charset=utf-8')
    .send(file.content);
}
