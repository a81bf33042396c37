// Moved to the console's ticket screen; kept until every importer points there.
export * from '../console/ticket/determination.view';
