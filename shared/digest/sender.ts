/** A rendered digest ready to send. */
export interface DigestMessage {
  readonly week: string;
  readonly subject: string;
  readonly html: string;
  readonly text: string;
  readonly json: string;
  /** Deduplicated recipients; may be empty (then nothing is sent, but local outboxes still write). */
  readonly recipients: readonly string[];
}

export interface SendReport {
  /** Where it went: message ids (SES) or file paths (outbox). */
  readonly deliveries: readonly string[];
}

/**
 * Delivery port of the digest: SES on AWS, an outbox folder in local mode and tests.
 *
 * @example
 * ```ts
 * const report = await sender.send(message);
 * ```
 */
export interface DigestSender {
  send(message: DigestMessage): Promise<SendReport>;
}
