import { agent, item } from '../../../../../test/support/console-view-fixtures';
import { SEARCH_TEXTS } from './search.texts';
import { renderSearchPage } from './search.view';

describe('renderSearchPage', () => {
  it('should render search results across merchants and a no-result message', () => {
    expect(renderSearchPage({ viewer: agent, query: 'x', results: [] })).toContain(
      SEARCH_TEXTS.none,
    );
    const out = renderSearchPage({ viewer: agent, query: '<q>', results: [item()] });
    expect(out).toContain('value="&lt;q&gt;"');
    expect(out).toContain('デモA');
  });
});
