import { html, type HtmlValue, phrases, SafeHtml } from '@madoguchi/ui';
import {
  type ConsoleSection,
  type ConsoleViewer,
  csrfField,
  renderConsolePage,
} from '../layout.view';

/**
 * The confirm step of a destructive one-click action (issue 19), without JavaScript: the page's
 * button is a link to `GET <action>/confirm`, a page that says what will happen and posts the
 * real action; its cancel link goes back and changes nothing. The action's own POST route stays
 * as it was.
 */
export interface ConfirmStepParams {
  viewer: ConsoleViewer;
  section: ConsoleSection;
  /** A question naming the thing: 「佐藤 一郎」さんを無効にしますか. */
  title: string;
  /** What the thing is (label, value), so the user sees what they are about to change. */
  facts?: readonly (readonly [label: string, value: HtmlValue])[];
  /** What will happen, one sentence each. */
  consequences: readonly HtmlValue[];
  /** The POST route of the real action. */
  action: string;
  /** Form fields the action needs besides the CSRF token (e.g. decision=approved). */
  fields?: Readonly<Record<string, string>>;
  confirmLabel: string;
  cancelLabel: string;
  /** Where cancelling leads: the page the user came from. */
  cancelHref: string;
  /** `danger` for what removes or ends something; `primary` for a weighty yes (an approval). */
  style?: 'danger' | 'primary';
}

/** The address of an action's confirm step. */
export function confirmPath(action: string): string {
  return `${action}/confirm`;
}

/** The button that opens an action's confirm step (a link: opening it changes nothing). */
export function confirmStepLink(options: {
  action: string;
  label: string;
  /** Names the thing for screen readers when the label alone does not (rows of a table). */
  accessibleLabel?: string;
  style?: 'danger' | 'primary' | 'ghost';
  small?: boolean;
}): SafeHtml {
  const classes = `btn btn--${options.style ?? 'danger'}${options.small ? ' btn--small' : ''}`;
  return html`<a
    class="${classes}"
    href="${confirmPath(options.action)}"
    data-confirm-step
    ${options.accessibleLabel ? html`aria-label="${options.accessibleLabel}"` : ''}
    >${options.label}</a
  >`;
}

export function renderConfirmStep(p: ConfirmStepParams): string {
  const facts = p.facts?.length
    ? html`<dl class="meta">
        ${p.facts.map(
          ([label, value]) =>
            html`<dt>${label}</dt>
              <dd>${value}</dd>`,
        )}
      </dl>`
    : html``;
  const fields = Object.entries(p.fields ?? {}).map(
    ([name, value]) => html`<input type="hidden" name="${name}" value="${value}" />`,
  );
  const main = html`<h1>${phrases(p.title)}</h1>
    <div class="card" data-confirm-consequences>
      ${facts}
      <ul class="steps">
        ${p.consequences.map((item) => html`<li>${item}</li>`)}
      </ul>
    </div>
    <div class="button-row">
      <form method="post" action="${p.action}">
        ${csrfField(p.viewer.csrfToken)} ${fields}
        <button class="btn btn--${p.style ?? 'danger'}" type="submit">${p.confirmLabel}</button>
      </form>
      <a class="btn btn--ghost" href="${p.cancelHref}">${p.cancelLabel}</a>
    </div>`;
  return renderConsolePage({ viewer: p.viewer, title: p.title, section: p.section, main });
}
