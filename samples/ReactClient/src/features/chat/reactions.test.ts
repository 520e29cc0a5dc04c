import { describe, expect, it } from 'vitest';

import { readReactions, withReaction } from './reactions';

describe('reactions in message attributes', () => {
  it('reads the demo\'s shape from an object or its JSON text, and nothing from anything else', () => {
    expect(readReactions({ reactions: { heart: ['alice', 'alice', 3], laugh: [] } })).toEqual({ heart: ['alice'] });
    expect(readReactions('{"reactions":{"sad":["bob"]}}')).toEqual({ sad: ['bob'] });
    expect(readReactions('not json')).toEqual({});
    expect(readReactions({ reactions: ['heart'] })).toEqual({});
    expect(readReactions(null)).toEqual({});
  });

  it('changes only the user\'s entry of one reaction', () => {
    const attributes = { topic: 'x', reactions: { heart: ['bob'], sad: ['alice'] } };
    expect(withReaction(attributes, 'heart', 'alice', true)).toEqual({ topic: 'x', reactions: { heart: ['bob', 'alice'], sad: ['alice'] } });
    expect(withReaction(attributes, 'sad', 'alice', false)).toEqual({ topic: 'x', reactions: { heart: ['bob'], sad: [] } });
    expect(withReaction('text', 'laugh', 'alice', true)).toEqual({ reactions: { laugh: ['alice'] } });
  });
});
