export * from './key-rotation/field-key-rotation';
export * from './seed/demo-banner';
export * from './seed/demo-seed';
