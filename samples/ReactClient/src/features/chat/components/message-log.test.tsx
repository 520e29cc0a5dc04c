import { fireEvent, render, screen } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';

import { message } from '@/testing/fake-chat-client';

import type { ChatMessage } from '../types';
import { MessageLog } from './message-log';

/** jsdom does no layout: give the scroller a fixed viewport and a height that grows with the messages. */
function fakeLayout(element: HTMLElement, rowHeight = 20, viewport = 100) {
  Object.defineProperty(element, 'clientHeight', { configurable: true, get: () => viewport });
  Object.defineProperty(element, 'scrollHeight', {
    configurable: true,
    get: () => element.querySelectorAll('li').length * rowHeight,
  });
}

function messages(from: number, to: number): ChatMessage[] {
  return Array.from({ length: to - from + 1 }, (_, i) => message('CH1', from + i, `m${from + i}`));
}

function renderLog(list: ChatMessage[], props: { hasPrevPage?: boolean; onLoadOlder?: () => void } = {}) {
  const onLoadOlder = props.onLoadOlder ?? vi.fn();
  const view = (items: ChatMessage[]) => (
    <MessageLog
      roomName="general"
      messages={items}
      hasPrevPage={props.hasPrevPage ?? false}
      loading={false}
      loadingOlder={false}
      error={null}
      onLoadOlder={onLoadOlder}
    />
  );
  const result = render(view(list));
  const scroller = screen.getByRole('log').parentElement as HTMLElement;
  fakeLayout(scroller);
  return { ...result, scroller, rerenderWith: (items: ChatMessage[]) => result.rerender(view(items)), onLoadOlder };
}

describe('MessageLog', () => {
  it('follows new messages while the reader is at the bottom', () => {
    const { scroller, rerenderWith } = renderLog([]);
    rerenderWith(messages(0, 9));
    expect(scroller.scrollTop).toBe(200);
    rerenderWith(messages(0, 10));
    expect(scroller.scrollTop).toBe(220);
  });

  it('leaves a reader who scrolled up where they are', () => {
    const { scroller, rerenderWith } = renderLog([]);
    rerenderWith(messages(0, 9));
    scroller.scrollTop = 20;
    fireEvent.scroll(scroller);
    rerenderWith(messages(0, 10));
    expect(scroller.scrollTop).toBe(20);
  });

  it('asks for older messages at the top when there are some', () => {
    const { scroller, onLoadOlder, rerenderWith } = renderLog([], { hasPrevPage: true });
    rerenderWith(messages(5, 14));
    scroller.scrollTop = 0;
    fireEvent.scroll(scroller);
    expect(onLoadOlder).toHaveBeenCalledOnce();
  });

  it('keeps the view in place when older messages are put on top', () => {
    const { scroller, rerenderWith } = renderLog([], { hasPrevPage: true });
    rerenderWith(messages(10, 19));
    scroller.scrollTop = 0;
    fireEvent.scroll(scroller);
    rerenderWith(messages(5, 19));
    // Five rows of 20 px came in above: the rows the reader saw are still where they were.
    expect(scroller.scrollTop).toBe(100);
  });
});
