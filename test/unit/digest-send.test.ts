import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
import type { Context } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { createDigestHandler } from '../../functions/digest/handler.ts';
import { SesDigestSender } from '../../functions/digest/ses-sender.ts';
import { parseCatalog } from '../../shared/catalog/load.ts';
import { OutboxDigestSender } from '../../shared/digest/outbox-sender.ts';
import { chunkRecipients, digestRecipients } from '../../shared/digest/recipients.ts';
import { runDigest, WeekNotOverError } from '../../shared/digest/run.ts';
import type { DigestMessage, DigestSender } from '../../shared/digest/sender.ts';
import { InMemoryDigestArchive } from '../../shared/store/digest-archive.ts';
import { InMemoryMetricsStore } from '../../shared/store/memory/in-memory-metrics-store.ts';
import type { MetricsStore } from '../../shared/store/port.ts';
import { createLogger } from '../../shared/telemetry/logger.ts';

const NOW_MS = Date.parse('2026-11-25T12:00:00Z');
// An empty fleet, through the same in-memory adapter the store contract tests hold to the DynamoDB one.
const emptyStore: MetricsStore = new InMemoryMetricsStore();
const catalog = parseCatalog(
  {
    version: 1,
    digest: { sender: 'yardstick@example.com', recipients: ['cfo@example.com', 'CTO@example.com'] },
    workflows: [
      {
        id: 'a',
        name: 'A',
        ownerTeam: 'T',
        stage: 'pilot',
        digestRecipients: ['cto@example.com', 'owner-a@example.com'],
      },
      { id: 'b', name: 'B', ownerTeam: 'T', stage: 'pilot', digestRecipients: ['owner-b@example.com'] },
    ],
  },
  'catalog.json',
);
const message = (recipients: string[]): DigestMessage => ({
  week: '2026-W47',
  subject: 'Yardstick 2026-W47',
  html: '<p>hi</p>',
  text: 'hi',
  json: '{}',
  recipients,
});

class RecordingSender implements DigestSender {
  readonly sent: DigestMessage[] = [];
  async send(m: DigestMessage) {
    this.sent.push(m);
    return { deliveries: ['recorded'] };
  }
}

describe('digest recipients', () => {
  it('sends to the catalog recipients then each workflow owner, once per address whatever its case', () => {
    // Prepare, Act
    const recipients = digestRecipients(catalog.catalog);

    // Assess
    expect(recipients).toEqual([
      'cfo@example.com',
      'CTO@example.com',
      'owner-a@example.com',
      'owner-b@example.com',
    ]);
  });

  it('splits long lists into groups of at most 50', () => {
    // Prepare
    const many = Array.from({ length: 120 }, (_, i) => `r${i}@example.com`);

    // Act
    const groups = chunkRecipients(many);

    // Assess
    expect(groups.map((g) => g.length)).toEqual([50, 50, 20]);
    expect(groups.flat()).toEqual(many);
  });
});

describe('SesDigestSender', () => {
  it('sends multipart HTML and text with recipients in BCC, at most 50 destinations per message', async () => {
    // Prepare
    const inputs: SendEmailCommand['input'][] = [];
    const client = {
      send: async (command: SendEmailCommand) => {
        inputs.push(command.input);
        return { MessageId: `m-${inputs.length}` };
      },
    } as unknown as SESv2Client;
    const sender = new SesDigestSender({ client, sender: 'yardstick@example.com' });
    const recipients = Array.from({ length: 100 }, (_, i) => `r${i}@example.com`);

    // Act
    const report = await sender.send(message(recipients));

    // Assess
    expect(report.deliveries).toEqual(['m-1', 'm-2', 'm-3']);
    expect(
      inputs.map(
        (i) => (i.Destination?.BccAddresses?.length ?? 0) + (i.Destination?.ToAddresses?.length ?? 0),
      ),
    ).toEqual([50, 50, 3]);
    expect(inputs[0]?.Destination?.ToAddresses).toEqual(['yardstick@example.com']);
    expect(inputs.flatMap((i) => i.Destination?.BccAddresses ?? [])).toEqual(recipients);
    expect(inputs[0]?.Content?.Simple?.Body).toEqual({
      Html: { Data: '<p>hi</p>', Charset: 'UTF-8' },
      Text: { Data: 'hi', Charset: 'UTF-8' },
    });
  });
});

describe('OutboxDigestSender', () => {
  it('writes the week as HTML, text and JSON files, and who it would have gone to', async () => {
    // Prepare
    const dir = mkdtempSync(join(tmpdir(), 'outbox-'));

    // Act
    const report = await new OutboxDigestSender(dir).send(message(['cfo@example.com']));

    // Assess
    expect(report.deliveries).toEqual(['html', 'txt', 'json'].map((ext) => join(dir, `2026-W47.${ext}`)));
    expect(readFileSync(join(dir, '2026-W47.html'), 'utf8')).toBe('<p>hi</p>');
    expect(readFileSync(join(dir, '2026-W47.headers.txt'), 'utf8')).toBe(
      'Subject: Yardstick 2026-W47\nBcc: cfo@example.com\n',
    );
  });
});

describe('runDigest', () => {
  it('archives the digest before sending, so a failed send still leaves the copy', async () => {
    // Prepare
    const archive = new InMemoryDigestArchive();
    const failing: DigestSender = {
      send: async () => {
        throw new Error('SES is down');
      },
    };

    // Act
    const run = runDigest({ store: emptyStore, archive, sender: failing, catalog }, { nowMs: NOW_MS });

    // Assess
    await expect(run).rejects.toThrow('SES is down');
    const kept = await archive.get('2026-W47');
    expect(kept?.sentTo).toBeUndefined();
    expect(JSON.parse(kept?.json ?? '{}').week).toBe('2026-W47');
  });

  it('records the recipients once sent, and refuses a week that has not ended', async () => {
    // Prepare
    const archive = new InMemoryDigestArchive();
    const sender = new RecordingSender();
    const deps = { store: emptyStore, archive, sender, catalog };

    // Act
    await runDigest(deps, { nowMs: NOW_MS, week: '2026-W46' });
    const unfinished = runDigest(deps, { nowMs: NOW_MS, week: '2026-W48' });

    // Assess
    expect((await archive.get('2026-W46'))?.sentTo).toHaveLength(4);
    expect(sender.sent[0]?.subject).toMatch(/^Yardstick 2026-W46: /);
    await expect(unfinished).rejects.toBeInstanceOf(WeekNotOverError);
    await expect(unfinished).rejects.toThrow(
      'week 2026-W48 has not ended yet (it ends 2026-11-30T00:00:00.000Z)',
    );
  });
});

describe('runDigest when retried', () => {
  it('does not send a week twice unless asked to resend', async () => {
    // Prepare
    const archive = new InMemoryDigestArchive();
    const sender = new RecordingSender();
    const deps = { store: emptyStore, archive, sender, catalog };

    // Act
    const first = await runDigest(deps, { nowMs: NOW_MS });
    const retried = await runDigest(deps, { nowMs: NOW_MS });
    const resent = await runDigest(deps, { nowMs: NOW_MS, resend: true });

    // Assess
    expect([first.alreadySent, retried.alreadySent, resent.alreadySent]).toEqual([false, true, false]);
    expect(sender.sent).toHaveLength(2);
    expect(retried.recipients).toEqual(first.recipients);
    expect(retried.digest.week).toBe('2026-W47');
  });
});

describe('createDigestHandler', () => {
  it('reports the last full week on a scheduled event and the named week on a manual one', async () => {
    // Prepare
    const sender = new RecordingSender();
    const handler = createDigestHandler({
      store: emptyStore,
      archive: new InMemoryDigestArchive(),
      sender,
      catalog,
      logger: createLogger('digest-test'),
      now: () => NOW_MS,
    });
    const context = { functionName: 'digest', awsRequestId: 'r' } as Context;
    const scheduled = { 'detail-type': 'Scheduled Event', source: 'aws.events', detail: {} };

    // Act
    const fromSchedule = await handler(scheduled as never, context);
    const manual = await handler({ week: '2026-W40' }, context);

    // Assess
    expect(fromSchedule).toMatchObject({ week: '2026-W47', recipients: 4, deliveries: ['recorded'] });
    expect(manual.week).toBe('2026-W40');
    expect(sender.sent.map((m) => m.week)).toEqual(['2026-W47', '2026-W40']);
  });
});
