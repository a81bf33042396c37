export * from './desk-page.view';
export * from './ticket-table.view';
export * from './queue-overview.view';
export * from './queue-list.view';
export * from './ticket-page.view';
export * from './search.view';
export * from './canned-responses.view';
export * from './error-page.view';
