import type { FastifyReply } from 'fastify';
import type { RecordingAudio } from '@madoguchi/calls';

/**
 * A recording to the browser's <audio>: personal data, so never cached or sniffed, played
 * inline. The body is Twilio's stream or the desk's own bytes.
 */
export function sendRecording(reply: FastifyReply, audio: RecordingAudio): void {
  const type = /^audio\/[a-z0-9.+-]+$/i.test(audio.contentType) ? audio.contentType : 'audio/mpeg';
  void reply
    .status(200)
    .header('cache-control', 'private, no-store')
    .header('x-content-type-options', 'nosniff')
    .header('content-disposition', 'inline')
    .type(type)
    .send(audio.body);
}
