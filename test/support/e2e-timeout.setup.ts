// Jest reads testTimeout only from the global config, not per project: set it here per tier.
jest.setTimeout(60_000);
