// Moved to the console's shared views; kept until every importer points there.
export * from '../console/shared/text-diff.view';
