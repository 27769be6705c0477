import { type SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
import { chunkRecipients } from '../../shared/digest/recipients.ts';
import type { DigestMessage, DigestSender, SendReport } from '../../shared/digest/sender.ts';

export interface SesDigestSenderOptions {
  readonly client: SESv2Client;
  /** A verified SES identity. */
  readonly sender: string;
}

/**
 * Sends the digest with SES v2: one message per group of up to 50 recipients, all in BCC so that
 * recipients do not see each other, addressed To the sender itself. SES counts every recipient
 * against the account's daily quota (200 a day in the sandbox).
 *
 * @example
 * ```ts
 * const sender = new SesDigestSender({ client: new SESv2Client({}), sender: 'yardstick@example.com' });
 * ```
 */
export class SesDigestSender implements DigestSender {
  constructor(private readonly options: SesDigestSenderOptions) {}

  async send(message: DigestMessage): Promise<SendReport> {
    const deliveries: string[] = [];
    for (const group of chunkRecipients(message.recipients, 49)) {
      // 49 in BCC plus the sender in To keeps each message within SES's 50 destinations.
      const result = await this.options.client.send(
        new SendEmailCommand({
          FromEmailAddress: this.options.sender,
          Destination: { ToAddresses: [this.options.sender], BccAddresses: group },
          Content: {
            Simple: {
              Subject: { Data: message.subject, Charset: 'UTF-8' },
              Body: {
                Html: { Data: message.html, Charset: 'UTF-8' },
                Text: { Data: message.text, Charset: 'UTF-8' },
              },
            },
          },
        }),
      );
      deliveries.push(result.MessageId ?? 'unknown');
    }
    return { deliveries };
  }
}
