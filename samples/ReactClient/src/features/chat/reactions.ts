/**
 * Reactions, kept as Twilio's demo (twilio-conversations-demo-react) keeps them: in the message's attributes,
 * `{"reactions": {"thumbs_up": ["alice", "bob"], ...}}`, the identities who chose each one. So both apps, on Twilio and
 * on the emulator, see each other's reactions.
 */
export const REACTIONS = [
  { key: 'heart', emoji: '🧡', label: 'heart' },
  { key: 'thumbs_up', emoji: '👍', label: 'thumbs up' },
  { key: 'laugh', emoji: '😂', label: 'laugh' },
  { key: 'sad', emoji: '😞', label: 'sad' },
  { key: 'pouting', emoji: '😡', label: 'pouting' },
  { key: 'thumbs_down', emoji: '👎', label: 'thumbs down' },
] as const;

export type ReactionKey = (typeof REACTIONS)[number]['key'];

/** Who chose each reaction; a reaction nobody chose is absent or empty. */
export type Reactions = Partial<Record<ReactionKey, string[]>>;

/** JSON as message attributes hold it (the SDK's JSONValue has this shape). */
export type JsonValue = null | string | number | boolean | JsonValue[] | { [key: string]: JsonValue };

const KEYS: ReadonlySet<string> = new Set(REACTIONS.map((r) => r.key));

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The reactions in a message's attributes (an object, or its JSON text); anything malformed reads as none. */
export function readReactions(attributes: unknown): Reactions {
  let value = attributes;
  if (typeof value === 'string') {
    try {
      value = JSON.parse(value) as unknown;
    } catch {
      return {};
    }
  }
  if (!isRecord(value) || !isRecord(value.reactions)) return {};
  const reactions: Reactions = {};
  for (const [key, who] of Object.entries(value.reactions)) {
    if (!KEYS.has(key) || !Array.isArray(who)) continue;
    const identities = [...new Set(who.filter((i): i is string => typeof i === 'string'))];
    if (identities.length > 0) reactions[key as ReactionKey] = identities;
  }
  return reactions;
}

export function hasReacted(reactions: Reactions, key: ReactionKey, identity: string): boolean {
  return reactions[key]?.includes(identity) ?? false;
}

/**
 * The attributes with `identity` among those who chose `key` (or not): every other attribute, and everyone else's
 * reactions, kept as they are.
 */
export function withReaction(
  attributes: JsonValue,
  key: ReactionKey,
  identity: string,
  chosen: boolean,
): { [key: string]: JsonValue } {
  const base = isJsonObject(attributes) ? attributes : {};
  const raw = isJsonObject(base.reactions) ? base.reactions : {};
  const current = raw[key];
  const others = Array.isArray(current) ? current.filter((i) => i !== identity) : [];
  return { ...base, reactions: { ...raw, [key]: chosen ? [...others, identity] : others } };
}

function isJsonObject(value: JsonValue | undefined): value is { [key: string]: JsonValue } {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
