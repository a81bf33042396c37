import { Logger } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { toHttpError } from '../http-error-body';
import { sendHttpError } from '../http-exception.filter';

/** A reply that records what the filter sent. */
function recordingReply(): { reply: FastifyReply; sent: () => { status: number; body: unknown } } {
  let status = 0;
  let body: unknown;
  const reply = {
    header: () => reply,
    status: (code: number) => {
      status = code;
      return reply;
    },
    type: () => reply,
    send: (payload: unknown) => {
      body = payload;
      return reply;
    },
  };
  return { reply: reply as unknown as FastifyReply, sent: () => ({ status, body }) };
}

const request = (url: string) => ({ url, id: 'req-id-0001-abcdef' }) as unknown as FastifyRequest;

describe('the request id in error answers', () => {
  beforeEach(() => {
    jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
  });

  afterEach(() => jest.restoreAllMocks());

  it('should make a 500’s error id the request id, in its message and its log line', () => {
    const logged = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
    const body = toHttpError(new Error('database exploded'), 'req-id-0001-abcdef');
    expect(body).toMatchObject({ statusCode: 500, errorId: 'req-id-0001-abcdef' });
    expect(body.message).toContain('req-id-0001-abcdef');
    expect(body.message).not.toContain('exploded');
    expect(String(logged.mock.calls[0][0])).toContain('req-id-0001-abcdef');
  });

  it('should put the request id in a 5xx JSON body, and keep 4xx bodies as they were', () => {
    const server = recordingReply();
    sendHttpError(new Error('boom'), request('/api/v1/x'), server.reply);
    expect(server.sent()).toEqual({
      status: 500,
      body: {
        statusCode: 500,
        code: 'INTERNAL_ERROR',
        message: expect.stringContaining('req-id-0001-abcdef'),
        requestId: 'req-id-0001-abcdef',
      },
    });
    const client = recordingReply();
    sendHttpError(
      Object.assign(new Error('x'), { statusCode: 413 }),
      request('/api/v1/x'),
      client.reply,
    );
    expect(client.sent().body).toEqual({
      statusCode: 413,
      code: 'PAYLOAD_TOO_LARGE',
      message: expect.any(String),
    });
  });

  it('should hand the request id to the HTML renderer for every status', () => {
    const seen: (string | undefined)[] = [];
    const { reply } = recordingReply();
    for (const error of [new Error('boom'), Object.assign(new Error('x'), { statusCode: 429 })]) {
      sendHttpError(error, request('/s/shop'), reply, (body) => {
        seen.push(body.requestId);
        return '<p>error</p>';
      });
    }
    expect(seen).toEqual(['req-id-0001-abcdef', 'req-id-0001-abcdef']);
  });
});
