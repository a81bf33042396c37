export * from './site-branding.type';
export * from './intake-page.view';
export * from './inquiry-form.view';
export * from './thank-you.view';
export * from './intake-closed.view';
export * from './not-found.view';
export * from './status-page.view';
export * from './leak-check.view';
