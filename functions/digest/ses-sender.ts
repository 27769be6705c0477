import { type SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
import { chunkRecipients } from '../../shared/digest/recipients.ts';
import type { DigestMessage, DigestSender, SendReport } from '../../shared/digest/sender.ts';

export interface SesDigestSenderOptions {
  readonly client: SESv2Client;
  /** A verified SES identity. */
  readonly sender: string;
}

// 49 in BCC plus the sender in To keeps each message within the 50 destinations SES allows.
const MAX_BCC_PER_MESSAGE = 49;

/**
 * Sends the digest with SES v2 as multipart HTML + text: one message per group of up to 49
 * recipients in BCC, addressed To the sender itself, so that recipients never see each other and each
 * message stays within SES's 50 destinations. SES counts every recipient against the account's daily
 * quota (200 a day in the sandbox, where recipients must also be verified).
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
    for (const group of chunkRecipients(message.recipients, MAX_BCC_PER_MESSAGE)) {
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
