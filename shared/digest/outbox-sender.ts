import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DigestMessage, DigestSender, SendReport } from './sender.ts';

/**
 * Local mode's "send": writes `<week>.html`, `<week>.txt` and `<week>.json` into an outbox folder,
 * plus `<week>.eml.txt` headers naming who SES would have sent it to. Re-sending a week overwrites.
 *
 * @example
 * ```ts
 * const sender = new OutboxDigestSender('.yardstick/outbox');
 * const { deliveries } = await sender.send(message); // the three file paths
 * ```
 */
export class OutboxDigestSender implements DigestSender {
  constructor(private readonly dir: string) {}

  async send(message: DigestMessage): Promise<SendReport> {
    mkdirSync(this.dir, { recursive: true });
    const files = {
      html: join(this.dir, `${message.week}.html`),
      text: join(this.dir, `${message.week}.txt`),
      json: join(this.dir, `${message.week}.json`),
      headers: join(this.dir, `${message.week}.headers.txt`),
    };
    writeFileSync(files.html, message.html);
    writeFileSync(files.text, message.text);
    writeFileSync(files.json, message.json);
    writeFileSync(
      files.headers,
      `Subject: ${message.subject}\nBcc: ${message.recipients.join(', ') || '(no recipients in the catalog)'}\n`,
    );
    return { deliveries: [files.html, files.text, files.json] };
  }
}
