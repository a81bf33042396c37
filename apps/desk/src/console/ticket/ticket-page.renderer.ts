import { Injectable } from '@nestjs/common';
import type { AuthenticatedUser } from '@madoguchi/auth';
import {
  AffectedListIndicatorService,
  IncidentAnswerService,
  TicketDeterminationService,
} from '@madoguchi/incident-response';
import {
  CannedResponseService,
  type CannedResponseView,
  HandBackService,
  TicketClaimService,
  type TicketDetail,
  TicketPresenceService,
  TicketWorkService,
  UserSignatureService,
} from '@madoguchi/tickets';
import { type TicketActor, type TenantScope } from '@madoguchi/tenancy';
import { viewerOf } from '../../web';
import type { DeterminationFormState } from '../../web/parts/determination.view';
import {
  renderTicketPage,
  type TicketDrafts,
  type TicketFieldErrors,
  type TicketLivePart,
} from './ticket.view';

/** What the ticket page shows besides the ticket: the form as typed and what to say on top. */
export interface TicketPageState {
  user: AuthenticatedUser;
  scope: TenantScope;
  actor: TicketActor;
  reference: string;
  drafts?: TicketDrafts;
  errors?: TicketFieldErrors;
  alert?: string | null;
  notice?: string | null;
  determinationForm?: DeterminationFormState;
}

/** Tickets that can carry a determination: linked to an incident, or asking whether they leaked. */
function hasDetermination(ticket: TicketDetail): boolean {
  return ticket.incident !== null || ticket.category === 'leak_check';
}

/** The ticket page as the agent sees it now: read on every show and on every form coming back. */
@Injectable()
export class TicketPageRenderer {
  constructor(
    private readonly work: TicketWorkService,
    private readonly claims: TicketClaimService,
    private readonly canned: CannedResponseService,
    private readonly affectedList: AffectedListIndicatorService,
    private readonly answers: IncidentAnswerService,
    private readonly handBacks: HandBackService,
    private readonly determinations: TicketDeterminationService,
    private readonly presence: TicketPresenceService,
    private readonly signatures: UserSignatureService,
  ) {}

  async render(p: TicketPageState): Promise<string> {
    // Reading the ticket is the audited view of its personal data (ticket.viewed, actor and IP).
    const ticket = await this.work.detail(p.scope, p.reference, p.actor);
    // Issue 15: a merged ticket is read-only (its work goes on in the survivor).
    const viewer = { ...viewerOf(p.user), ...(ticket.mergedInto ? { canWork: false } : {}) };
    const canned: CannedResponseView[] = viewer.canWork
      ? await this.canned.listFor(p.scope, ticket.merchantId)
      : [];
    const answers = viewer.canWork ? await this.answers.forTicket(ticket, p.user.displayName) : [];
    const drafts = { ...p.drafts };
    // An inserted answer (?answer=) fills the reply; one not offered here is ignored.
    const inserted = answers.find((answer) => String(answer.versionId) === drafts.answerVersionId);
    if (inserted && p.drafts?.reply === undefined) drafts.reply = inserted.filledBody;
    return renderTicketPage({
      viewer,
      ticket,
      canned,
      agents: viewer.canWork ? await this.claims.assignableStaff(p.scope, p.reference) : [],
      affectedList: await this.affectedList.forTicket(p.scope, p.reference),
      handBack: await this.handBacks.stateOf(p.scope, p.reference),
      determination: hasDetermination(ticket)
        ? await this.determinations.forTicket(p.scope, p.reference)
        : null,
      determinationForm: p.determinationForm,
      answers,
      live: await this.livePart(p),
      signature: viewer.canWork ? await this.signatures.get(p.user.id) : null,
      drafts,
      errors: p.errors,
      alert: p.alert,
      notice: p.notice,
    });
  }

  /** Issue 15: who else is on the ticket now (staff pages; merchant users get no presence). */
  private async livePart(p: TicketPageState): Promise<TicketLivePart | null> {
    if (p.scope.kind === 'merchant') return null;
    const state = await this.presence.state(p.scope, p.reference, p.user.id);
    return { others: state.others, lastMessageId: state.lastMessageId };
  }
}
