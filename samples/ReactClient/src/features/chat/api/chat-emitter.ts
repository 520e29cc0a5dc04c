import type { ChatEventName, ChatEvents, Unsubscribe } from '../types';

/** A tiny listener set, so each adapter registers its listeners in one place. */
class Listeners<T> {
  readonly #listeners = new Set<(value: T) => void>();

  add(listener: (value: T) => void): Unsubscribe {
    this.#listeners.add(listener);
    return () => {
      this.#listeners.delete(listener);
    };
  }

  emit(value: T): void {
    for (const listener of [...this.#listeners]) listener(value);
  }

  clear(): void {
    this.#listeners.clear();
  }
}

/** One listener set per event of ChatEvents. */
export class ChatEmitter {
  readonly #sets = new Map<ChatEventName, Listeners<unknown>>();

  on<K extends ChatEventName>(event: K, listener: (value: ChatEvents[K]) => void): Unsubscribe {
    return this.#set(event).add(listener);
  }

  emit<K extends ChatEventName>(event: K, value: ChatEvents[K]): void {
    this.#set(event).emit(value);
  }

  clear(): void {
    for (const set of this.#sets.values()) set.clear();
  }

  #set<K extends ChatEventName>(event: K): Listeners<ChatEvents[K]> {
    let set = this.#sets.get(event);
    if (!set) {
      set = new Listeners<unknown>();
      this.#sets.set(event, set);
    }
    // Each event's set only ever holds that event's listeners (on() is typed by the event).
    return set as unknown as Listeners<ChatEvents[K]>;
  }
}
