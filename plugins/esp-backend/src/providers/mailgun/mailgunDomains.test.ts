import {
  MailgunRecord,
  toDomainDetailView,
  toDomainView,
} from './mailgunDomains';

const spf = (valid: string): MailgunRecord => ({
  record_type: 'TXT',
  name: 'mg.example.com',
  value: 'v=spf1 include:mailgun.org ~all',
  valid,
});
const dkim = (valid: string): MailgunRecord => ({
  record_type: 'TXT',
  name: 'mx._domainkey.mg.example.com',
  value: 'k=rsa; p=abc',
  valid,
});
const cname = (valid: string): MailgunRecord => ({
  record_type: 'CNAME',
  name: 'email.mg.example.com',
  value: 'mailgun.org',
  valid,
});

const view = (state: string, records: MailgunRecord[]) =>
  toDomainView({ name: 'mg.example.com', state, sending_dns_records: records });

describe('toDomainView', () => {
  it('is pending while Mailgun has not checked the records', () => {
    expect(
      view('unverified', [spf('unknown'), dkim('unknown'), cname('unknown')]),
    ).toMatchObject({
      status: 'pending',
      spf: 'pending',
      dkim: 'pending',
      cname: 'pending',
    });
  });

  it('fails the records a check found missing, and keeps the domain pending', () => {
    expect(
      view('unverified', [spf('valid'), dkim('invalid'), cname('unknown')]),
    ).toMatchObject({
      status: 'pending',
      spf: 'verified',
      dkim: 'failed',
      cname: 'pending',
    });
  });

  it('follows the domain state: active is verified, disabled is failed', () => {
    expect(view('active', [spf('valid'), dkim('valid')])).toMatchObject({
      status: 'verified',
      spf: 'verified',
      dkim: 'verified',
      cname: 'not_applicable',
    });
    expect(view('disabled', [spf('valid'), dkim('valid')]).status).toBe(
      'failed',
    );
  });

  it('gives each DNS record its own status, receiving records included', () => {
    const detail = toDomainDetailView({
      name: 'mg.example.com',
      state: 'unverified',
      sending_dns_records: [spf('valid'), dkim('invalid'), cname('unknown')],
      receiving_dns_records: [
        {
          record_type: 'MX',
          name: 'mg.example.com',
          value: 'mxa.mailgun.org',
          valid: 'unknown',
        },
      ],
    });
    expect(detail.records.map(r => [r.purpose, r.status])).toEqual([
      ['SPF', 'verified'],
      ['DKIM', 'failed'],
      ['Tracking', 'pending'],
      ['MX', 'pending'],
    ]);
  });
});
