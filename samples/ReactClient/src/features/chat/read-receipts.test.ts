import { describe, expect, it } from 'vitest';

import { member, message, smsMember } from '@/testing/fake-chat-client';

import { seenBy, seenByText } from './read-receipts';

describe('seen by', () => {
  const mine = message('CH1', 4, 'from alice', 'alice');

  it('names the other members whose read horizon reached the message, sorted', () => {
    const members = [member('CH1', 'carol', null, 9), member('CH1', 'bob', null, 4), member('CH1', 'dave', null, 3), member('CH1', 'erin')];
    expect(seenBy(mine, members, 'alice')).toEqual(['bob', 'carol']);
  });

  it('leaves out the user, the author, SMS participants and members of other rooms', () => {
    const members = [member('CH1', 'alice', null, 7), smsMember('CH1', '+15550001111'), member('CH2', 'bob', null, 7)];
    expect(seenBy(mine, members, 'alice')).toEqual([]);
    expect(seenBy(message('CH1', 4, 'from bob', 'bob'), [member('CH1', 'bob', null, 4)], 'alice')).toEqual([]);
  });

  it('says nothing until someone has read it', () => {
    expect(seenByText([])).toBeNull();
    expect(seenByText(['bob'])).toBe('Seen by bob');
    expect(seenByText(['bob', 'carol'])).toBe('Seen by bob, carol');
  });
});
