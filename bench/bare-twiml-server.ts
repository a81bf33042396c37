import { parse } from 'node:querystring';
import Fastify from 'fastify';

/**
 * The Twilio webhook baseline: a bare Fastify route that parses the same form body and answers
 * the same TwiML as the telephony app, with no Nest, no signature check and no database.
 * Run by the bench as its own process: BENCH_TWIML_BASE64 (the answer) and PORT.
 */
async function main(): Promise<void> {
  const twiml = Buffer.from(process.env.BENCH_TWIML_BASE64 ?? '', 'base64').toString('utf8');
  const app = Fastify({ logger: false });
  app.addContentTypeParser(
    'application/x-www-form-urlencoded',
    { parseAs: 'string' },
    (_request, body, done) => done(null, parse(body as string)),
  );
  app.post('/twilio/voice/incoming', async (request, reply) => {
    const params = request.body as Record<string, unknown>;
    if (typeof params.CallSid !== 'string') return reply.status(400).send();
    return reply.type('text/xml; charset=utf-8').send(twiml);
  });
  app.get('/healthz', async () => ({ status: 'ok' }));
  await app.listen({ port: Number(process.env.PORT), host: '127.0.0.1' });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
