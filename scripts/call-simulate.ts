import 'reflect-metadata';
import { parseArgs } from 'node:util';
import { loadConfig } from '@madoguchi/config';
import { SIMULATED_SCENARIOS, type SimulatedScenario, simulateCall } from './call-simulator';

const USAGE = `usage: npm run call:simulate -- --scenario ${SIMULATED_SCENARIOS.join('|')}
       [--from +819012345678|anonymous] [--at 2026-12-01T17:59:30+09:00]
       [--url http://localhost:3002] [--code <shop phone code, default 101 = demo-a-shop; '' keys none>] [--agent <user id>]`;

/**
 * `npm run call:simulate`: one simulated call against a running telephony app (`npm start`),
 * signed with TWILIO_AUTH_TOKEN over TELEPHONY_PUBLIC_URL, so the call log fills without Twilio.
 */
async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      scenario: { type: 'string' },
      from: { type: 'string' },
      at: { type: 'string' },
      url: { type: 'string' },
      code: { type: 'string' },
      agent: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return;
  }
  const scenario = values.scenario as SimulatedScenario | undefined;
  if (!scenario || !SIMULATED_SCENARIOS.includes(scenario)) throw new Error(USAGE);
  const at = values.at ? new Date(values.at) : undefined;
  if (at && Number.isNaN(at.getTime()))
    throw new Error(`--at is not a date: ${values.at}\n${USAGE}`);
  if (values.agent !== undefined && !/^[1-9]\d*$/.test(values.agent)) {
    throw new Error(`--agent must be a user id\n${USAGE}`);
  }
  const config = loadConfig();
  if (!config.twilio.authToken) {
    throw new Error(
      'TWILIO_AUTH_TOKEN is not set: the simulator signs with the same token as the app',
    );
  }
  const result = await simulateCall({
    scenario,
    url: (values.url ?? `http://localhost:${config.http.telephonyPort}`).replace(/\/+$/, ''),
    publicUrl: config.http.telephonyPublicUrl,
    authToken: config.twilio.authToken,
    from: values.from,
    at,
    // The demo data's demo-a-shop, so a simulated call shows merchant tagging out of the box.
    code: values.code ?? '101',
    agentId: values.agent === undefined ? undefined : Number(values.agent),
    log: (line) => console.log(line),
  });
  console.log(
    `done: ${result.steps.length} webhooks for ${result.callSid}; see the desk's call log.`,
  );
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
