export * from './html.util';
export * from './text.util';
export * from './url.util';
export * from './layout';
export * from './components';
export * from './stylesheet';
export * from './data-table';
export * from './filter-form';
