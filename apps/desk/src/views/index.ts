export * from '../web/layout.view';
export * from '../console/shared/ticket-table.view';
export * from '../console/queue/queue-overview.view';
export * from '../console/queue/queue.view';
export * from '../console/ticket/ticket.view';
export * from '../console/search/search.view';
export * from '../console/canned/canned.view';
export * from '../web/error-page.view';
