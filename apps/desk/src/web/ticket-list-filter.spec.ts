import { TICKET_STATUSES } from '@madoguchi/tickets';
import {
  listQuery,
  parseAssigneeTicketListFilter,
  parseTicketListFilter,
} from './ticket-list-filter';

describe('parseTicketListFilter', () => {
  it('should keep known values and build the list filter', () => {
    const { values, filter } = parseTicketListFilter({
      status: 'all',
      category: 'payment',
      incident: '4',
      determination: 'review',
    });
    expect(values).toEqual({
      status: 'all',
      category: 'payment',
      channel: '',
      incident: '4',
      determination: 'review',
    });
    expect(filter).toEqual({
      status: [...TICKET_STATUSES],
      category: 'payment',
      incident: 4,
      determination: 'review',
    });
  });

  it('should drop values outside the fixed lists so a bad link still lists', () => {
    const { values, filter } = parseTicketListFilter({
      status: 'x',
      channel: 'fax',
      incident: '-1',
    });
    expect(values).toEqual({
      status: '',
      category: '',
      channel: '',
      incident: '',
      determination: '',
    });
    expect(filter).toEqual({});
  });

  it('should add the assignee for queues, in the form order', () => {
    const { values, filter } = parseAssigneeTicketListFilter({ assignee: 'me', status: 'open' });
    expect(Object.keys(values)).toEqual([
      'status',
      'category',
      'channel',
      'assignee',
      'incident',
      'determination',
      'sla',
      'replied',
    ]);
    expect(filter).toEqual({ status: ['open'], assignee: 'me' });
    expect(parseAssigneeTicketListFilter({ assignee: 'boss' }).values.assignee).toBe('');
  });

  it("should read the saved views' conditions: SLA breached and customer replied", () => {
    const { values, filter } = parseAssigneeTicketListFilter({ sla: 'breached', replied: '1' });
    expect(values).toMatchObject({ sla: 'breached', replied: '1' });
    expect(filter).toEqual({ sla: 'breached', replied: true });
    expect(parseAssigneeTicketListFilter({ sla: 'soon', replied: 'yes' }).filter).toEqual({});
  });
});

describe('listQuery', () => {
  it('should keep only set fields, in order, then the extra parameters', () => {
    expect(listQuery({ status: 'open', category: '', assignee: 'me' }, { page: '2' })).toBe(
      '?status=open&assignee=me&page=2',
    );
    expect(listQuery({ status: '' })).toBe('');
  });
});
