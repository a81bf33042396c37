import type { CalendarClosure } from '@madoguchi/calendar';
import { formatText } from '@madoguchi/ui';
import type { ConsoleViewer } from '../../web';
import { CLOSURES_TEXTS as C } from './closures.texts';
import { renderAdminClosureDeleteConfirm, renderAdminClosures } from './closures.view';

const admin: ConsoleViewer = {
  id: 1,
  displayName: '管理 太郎',
  role: 'admin',
  csrfToken: 'csrf-<tok>',
  canWork: true,
  mayOpen: () => true,
};

describe('renderAdminClosures', () => {
  const closure = { id: 4, date: '2026-12-29', reason: '年末<休業>' } as CalendarClosure;

  it('should list closures in a table, the date as the row header, with an escaped reason', () => {
    const page = renderAdminClosures({ viewer: admin, closures: [closure] });
    expect(page).toContain(`<caption class="visually-hidden">`);
    expect(page).toContain(C.caption);
    expect(page).toMatch(/<th scope="row"><time datetime="2026-12-29">2026-12-29<\/time><\/th>/);
    expect(page).toContain('年末&lt;休業&gt;');
    // Deleting takes a confirm step: the row links to it, and nothing posts from the list.
    expect(page).toContain('href="/admin/calendar/4/delete/confirm"');
    expect(page).not.toContain('action="/admin/calendar/4/delete"');
    expect(page).toContain('csrf-&lt;tok&gt;');
  });

  it('should offer the date as a date picker', () => {
    const page = renderAdminClosures({ viewer: admin, closures: [] });
    expect(page).toMatch(/<input class="input"[^>]* name="date" type="date"/);
  });

  it('should say on the confirm step which closure goes and post the real delete', () => {
    const page = renderAdminClosureDeleteConfirm({ viewer: admin, closure });
    expect(page).toContain(formatText(C.deleteConfirm.title, { date: '2026-12-29' }));
    expect(page).toContain('年末&lt;休業&gt;');
    expect(page).toContain('<form method="post" action="/admin/calendar/4/delete">');
    expect(page).toContain('href="/admin/calendar"');
  });

  it('should say there is no closure instead of an empty table', () => {
    const page = renderAdminClosures({ viewer: admin, closures: [] });
    expect(page).not.toContain('<table');
    expect(page).toContain(C.empty);
  });

  it('should keep the typed values and show the field error beside the field and in the summary', () => {
    const page = renderAdminClosures({
      viewer: admin,
      closures: [],
      values: { date: '2026-13-01', reason: '臨時' },
      errors: { date: '日付が正しくありません。' },
    });
    expect(page).toContain('value="2026-13-01"');
    expect(page.split('日付が正しくありません。').length - 1).toBeGreaterThanOrEqual(2);
  });
});
