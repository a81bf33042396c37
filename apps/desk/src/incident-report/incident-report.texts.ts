// Moved to the console's incident report screen; kept until every importer points there.
export * from '../console/incident-report/incident-report.texts';
