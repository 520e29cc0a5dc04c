import type { Participant, User, UserUpdateReason } from '@twilio/conversations';

import type { ChatMember } from '../types';
import { smsAddress } from './sdk-mapping';

/** How long `getMembers` waits for the participants' users (for their online state) before answering without. */
export const userWaitMs = 2_000;

/**
 * Who is online, for the members list: the SDK user of each chat participant is read once per identity, and its
 * online changes are passed on as member updates for every participant of that identity the client knows.
 */
export class MemberPresence {
  readonly #memberUpdated: (member: ChatMember) => void;
  /** Chat participants in their rooms (joined or listed, not left since), by sid, for their user's online changes. */
  readonly #participants = new Map<string, Participant>();
  /** Online state by identity; users are watched once. */
  readonly #online = new Map<string, boolean | null>();
  readonly #watchedUsers = new Map<string, Promise<void>>();

  constructor(memberUpdated: (member: ChatMember) => void) {
    this.#memberUpdated = memberUpdated;
  }

  /**
   * The participant as a member, with its online state when known. Only a mapping: it does not watch the
   * participant, so mapping one that left (for `memberLeft`) does not bring it back into the online updates.
   */
  toMember(participant: Participant): ChatMember {
    const sms = participant.type === 'sms';
    return {
      sid: participant.sid,
      roomSid: participant.conversation.sid,
      identity: participant.identity,
      kind: sms ? 'sms' : 'chat',
      address: sms ? smsAddress(participant) : null,
      online: !sms && participant.identity ? this.#online.get(participant.identity) ?? null : null,
      // The SDK keeps it live from the roster; a change arrives as participantUpdated ('lastReadMessageIndex').
      lastReadIndex: participant.lastReadMessageIndex ?? null,
    };
  }

  /** Stops passing on online changes for a participant that left. */
  forget(participantSid: string): void {
    this.#participants.delete(participantSid);
  }

  /**
   * Watches the participants' users, waiting for them a little, so a members list usually comes complete; a user
   * that comes later arrives as a member update, one that cannot be fetched stays "not known".
   */
  async watchAll(participants: Participant[]): Promise<void> {
    const users = Promise.all(participants.map((participant) => this.watch(participant)));
    let timer: ReturnType<typeof setTimeout> | undefined;
    await Promise.race([users, new Promise<void>((resolve) => (timer = setTimeout(resolve, userWaitMs)))]);
    clearTimeout(timer);
  }

  /** Reads the participant's user once per identity and passes its online changes on as member updates. */
  watch(participant: Participant): Promise<void> {
    const identity = participant.identity;
    if (participant.type === 'sms' || !identity) return Promise.resolve();
    this.#participants.set(participant.sid, participant);
    const known = this.#watchedUsers.get(identity);
    if (known) return known;
    const watching = participant.getUser().then(
      (user: User) => {
        this.#setOnline(identity, user.isOnline ?? null);
        user.on('updated', ({ user: updated, updateReasons }: { user: User; updateReasons: UserUpdateReason[] }) => {
          if (updateReasons.includes('reachabilityOnline')) this.#setOnline(identity, updated.isOnline ?? null);
        });
      },
      () => {
        // No user, no online state: the member is shown without one.
        this.#watchedUsers.delete(identity);
      },
    );
    this.#watchedUsers.set(identity, watching);
    return watching;
  }

  /** Stores a user's online state and passes it on for each of their participants the client knows. */
  #setOnline(identity: string, online: boolean | null): void {
    this.#online.set(identity, online);
    for (const known of this.#participants.values())
      if (known.identity === identity) this.#memberUpdated(this.toMember(known));
  }
}
