import type { FastifyReply } from 'fastify';
import type { AuditLogExportFile, AuditLogExportLabels } from '@madoguchi/reporting';
import { AUDIT_TEXTS } from '../supervisor/audit/audit.texts';
import { auditActionLabel } from '../web/parts/audit-actions.texts';
import { SHARED_TEXTS } from '../web/shared.texts';

/** The CSV's labels in Japanese: actions (AUDIT_ACTION_LABELS_JA), roles and actor kinds. */
export const AUDIT_EXPORT_LABELS_JA: AuditLogExportLabels = {
  action: auditActionLabel,
  role: (role) =>
    Object.prototype.hasOwnProperty.call(SHARED_TEXTS.roles, role)
      ? SHARED_TEXTS.roles[role as keyof typeof SHARED_TEXTS.roles]
      : role,
  actorType: (type) =>
    Object.prototype.hasOwnProperty.call(AUDIT_TEXTS.actorTypes, type)
      ? AUDIT_TEXTS.actorTypes[type as keyof typeof AUDIT_TEXTS.actorTypes]
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
