import { routingConflicts } from './routingConflicts';
import { rule } from './__fixtures__/routingInputs';

describe('routingConflicts', () => {
  it('warns once per email type that several enabled rules route, naming them by priority', () => {
    const a = rule({ emailType: 'marketing', priority: 3 });
    const b = rule({
      emailType: 'marketing',
      priority: 1,
      provider: 'mailgun',
    });
    const off = rule({ emailType: 'marketing', priority: 4, enabled: false });
    const alone = rule({ emailType: 'transactional', priority: 2 });
    expect(routingConflicts([a, b, off, alone])).toEqual([
      {
        code: 'routing_conflict',
        message: 'Rule priority determines which ESP is used.',
        emailType: 'marketing',
        ruleIds: [b.id, a.id],
      },
    ]);
  });

  it('groups Custom rules by their type name, in any case, and is quiet without overlaps', () => {
    const d1 = rule({ emailType: 'custom', customType: 'Digest', priority: 1 });
    const d2 = rule({ emailType: 'custom', customType: 'digest', priority: 2 });
    const r = rule({ emailType: 'custom', customType: 'Receipt', priority: 3 });
    expect(routingConflicts([d1, d2, r]).map(w => w.ruleIds)).toEqual([
      [d1.id, d2.id],
    ]);
    expect(routingConflicts([d1, r])).toEqual([]);
  });
});
