// The placeholder rules moved to @madoguchi/common so libs/incidents (answer templates) can
// use them without importing tickets; re-exported here so the tickets' imports stay as they were.
export {
  CANNED_PLACEHOLDERS,
  type CannedPlaceholder,
  renderCannedResponse,
  unknownPlaceholders,
} from '@madoguchi/common';
