import type { QueueSummary } from '@madoguchi/tickets';
import { renderQueueOverview } from '../console/queue/queue-overview.view';
import { agent } from '../../../../test/support/console-view-fixtures';
import { renderDeskErrorPage } from './error-page.view';
import { SHARED_TEXTS as T } from './shared.texts';

describe('renderConsolePage (through the overview)', () => {
  const summary: QueueSummary = {
    id: 3,
    name: 'デモA 窓口',
    merchantId: 1,
    merchantName: 'デモA',
    countsByStatus: {
      new: 2,
      open: 1,
      pending_customer: 1,
      pending_merchant: 1,
      resolved: 0,
      closed: 0,
      handed_back: 0,
    },
    countsBySla: { breached: 1, due_soon: 0, on_track: 3 },
    unassigned: 2,
  };

  it('should link the stylesheets and the script as files, with no inline script or style element', () => {
    const out = renderQueueOverview({ viewer: agent, queues: [summary] });
    // By content hash (assets/console-assets.ts): the URL changes with the file.
    expect(out).toMatch(/<link rel="stylesheet" href="\/assets\/console.css\?v=[\w-]{16}"/);
    expect(out).toMatch(/<script src="\/assets\/console.js\?v=[\w-]{16}" defer><\/script>/);
    expect(out).not.toMatch(/<script>|<script [^s]|<style/);
  });

  it('should offer a skip link, the nav, the user and a logout form with the CSRF token', () => {
    const out = renderQueueOverview({ viewer: agent, queues: [summary] });
    expect(out).toContain('<a class="skip-link" href="#main">');
    expect(out).toContain('aria-current="page"');
    expect(out).toContain('佐藤 一郎さん（エージェント）');
    expect(out).toMatch(
      /<form method="post" action="\/logout">\s*<input type="hidden" name="_csrf" value="csrf-&lt;tok&gt;" \/>/,
    );
    expect(out).not.toContain('href="/canned-responses"');
    expect(
      renderQueueOverview({ viewer: { ...agent, mayOpen: () => true }, queues: [] }),
    ).toContain('href="/canned-responses"');
    expect(out).toContain('aria-live="polite"');
    expect(out).toContain(T.shortcuts.heading);
  });
});

describe('renderDeskErrorPage', () => {
  it('should render a Japanese error page without a session', () => {
    const out = renderDeskErrorPage({ ...T.errors.notFound, status: 404 });
    expect(out).toContain(T.errors.notFound.title);
    expect(out).toContain('404');
    expect(out).not.toContain('/logout');
  });
});
