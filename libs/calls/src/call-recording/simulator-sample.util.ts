/** The account SID the call simulator (scripts/call-simulator.ts) puts in its recording URLs. */
export const SIMULATOR_ACCOUNT_SID = `AC${'5'.repeat(32)}`;

/**
 * Whether a recording URL is one the simulator made up: its recordings exist nowhere at Twilio,
 * so outside production the desk plays the bundled sample instead (the rest of the path — scope,
 * audit, streaming, the player — is the real one).
 */
export function isSimulatorRecordingUrl(url: string): boolean {
  return url.includes(`/Accounts/${SIMULATOR_ACCOUNT_SID}/Recordings/`);
}

let sample: Buffer | null = null;

/**
 * The bundled sample: a short WAV (8 kHz, 8-bit mono, three soft beeps), built once in memory so
 * no binary file has to ship with the build.
 */
export function simulatorSampleWav(): Buffer {
  if (sample) return sample;
  const rate = 8000;
  const samples = Math.round(rate * 1.8);
  const data = Buffer.alloc(samples);
  for (let i = 0; i < samples; i++) {
    const t = i / rate;
    const beep = t % 0.6 < 0.3;
    const envelope = beep ? Math.min(1, (t % 0.6) * 40, (0.3 - (t % 0.6)) * 40) : 0;
    data[i] = 128 + Math.round(50 * envelope * Math.sin(2 * Math.PI * 660 * t));
  }
  const header = Buffer.alloc(44);
  header.write('RIFF', 0, 'ascii');
  header.writeUInt32LE(36 + data.length, 4);
  header.write('WAVE', 8, 'ascii');
  header.write('fmt ', 12, 'ascii');
  header.writeUInt32LE(16, 16);
  header.writeUInt16LE(1, 20); // PCM
  header.writeUInt16LE(1, 22); // mono
  header.writeUInt32LE(rate, 24);
  header.writeUInt32LE(rate, 28); // byte rate
  header.writeUInt16LE(1, 32); // block align
  header.writeUInt16LE(8, 34); // bits per sample
  header.write('data', 36, 'ascii');
  header.writeUInt32LE(data.length, 40);
  sample = Buffer.concat([header, data]);
  return sample;
}
