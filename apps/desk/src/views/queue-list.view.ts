// Moved to the console's queue screen; kept until every importer points there.
export * from '../console/queue/queue.view';
