import { agent } from '../../../../../test/support/console-view-fixtures';
import { renderCannedEdit, renderCannedList } from './canned.view';

describe('renderCannedList and renderCannedEdit', () => {
  it('should render canned responses with create and edit forms', () => {
    const list = renderCannedList({
      viewer: agent,
      items: [{ id: 5, merchantId: 1, title: 'お礼', body: 'x', updatedAt: new Date() }],
      merchants: [{ id: 1, name: 'デモA' }],
      errors: { title: '題名を入力してください。' },
    });
    expect(list).toContain('href="/canned-responses/5/edit"');
    expect(list).toContain('action="/canned-responses"');
    expect(list).toContain('題名を入力してください。');
    const edit = renderCannedEdit({
      viewer: agent,
      item: { id: 5, merchantId: 1, title: 'お礼', body: '本文', updatedAt: new Date() },
      merchants: [{ id: 1, name: 'デモA' }],
    });
    expect(edit).toContain('<option value="1" selected>デモA</option>');
    expect(edit).toContain('action="/canned-responses/5/delete"');
  });
});
