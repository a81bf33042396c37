import type { FastifyRequest } from 'fastify';
import { assertSameOriginLogin } from './login-origin.util';

const DESK = 'https://desk.example.jp';

function request(headers: Record<string, string>): FastifyRequest {
  return { headers: { host: '127.0.0.1:3001', ...headers } } as unknown as FastifyRequest;
}

describe('assertSameOriginLogin (login CSRF)', () => {
  it.each([
    [
      'a same-origin form post',
      { 'sec-fetch-site': 'same-origin', origin: 'http://127.0.0.1:3001' },
    ],
    ['a post through the public URL', { 'sec-fetch-site': 'same-origin', origin: DESK }],
    // Referrer-Policy: no-referrer makes the browser send Origin: null on our own forms.
    ['our own form under no-referrer', { 'sec-fetch-site': 'same-origin', origin: 'null' }],
    ['a typed or bookmarked request', { 'sec-fetch-site': 'none' }],
    ['a script without browser headers', {}],
  ])('should let %s through', (_label, headers) => {
    expect(() => assertSameOriginLogin(request(headers), DESK)).not.toThrow();
  });

  it.each([
    ['a cross-site form post', { 'sec-fetch-site': 'cross-site', origin: 'https://evil.example' }],
    [
      'a same-site subdomain post',
      { 'sec-fetch-site': 'same-site', origin: 'https://a.example.jp' },
    ],
    ['a cross-site post with Origin: null', { 'sec-fetch-site': 'cross-site', origin: 'null' }],
    ['Origin: null without Sec-Fetch-Site', { origin: 'null' }],
    ['another origin without Sec-Fetch-Site', { origin: 'https://evil.example' }],
    ['a malformed Origin', { origin: 'not a url' }],
  ])('should refuse %s', (_label, headers) => {
    expect(() => assertSameOriginLogin(request(headers), DESK)).toThrow();
  });
});
