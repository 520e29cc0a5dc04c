import { fireEvent, screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';

import { FakeChatClient, message } from '@/testing/fake-chat-client';
import { openRoom, renderChatView } from '@/testing/render-chat-view';

import { MAX_FILE_BYTES } from '../media';

async function inGeneral(client = new FakeChatClient()) {
  const rendered = renderChatView({ client });
  await openRoom(rendered.user, 'general');
  return rendered;
}

const png = () => new File([new Uint8Array([137, 80, 78, 71])], 'cat.png', { type: 'image/png' });

describe('Pictures and files', () => {
  it('sends chosen files in one message with the text, then clears both', async () => {
    const { user, client } = await inGeneral();
    const report = new File(['minutes'], 'notes.pdf', { type: 'application/pdf' });
    await user.upload(screen.getByLabelText('Attach files'), [png(), report]);
    const chosen = screen.getByRole('list', { name: 'Files to send' });
    expect(within(chosen).getAllByRole('listitem').map((li) => li.textContent)).toEqual(['cat.png (4 B)×', 'notes.pdf (7 B)×']);
    await user.type(screen.getByRole('textbox', { name: 'Message' }), 'this week');
    await user.click(screen.getByRole('button', { name: 'Send' }));

    expect(client.sendFiles).toHaveBeenCalledTimes(1);
    const [roomSid, files, body] = client.sendFiles.mock.calls[0] ?? [];
    expect(roomSid).toBe('CH1');
    expect(files?.map((f) => f.name)).toEqual(['cat.png', 'notes.pdf']);
    expect(body).toBe('this week');
    expect(client.sendMessage).not.toHaveBeenCalled();
    expect(screen.queryByRole('list', { name: 'Files to send' })).not.toBeInTheDocument();
    expect(screen.getByRole('textbox', { name: 'Message' })).toHaveValue('');
  });

  it('says a file is too large before anything is uploaded', async () => {
    const { user, client } = await inGeneral();
    const huge = new File(['x'], 'film.mp4', { type: 'video/mp4' });
    Object.defineProperty(huge, 'size', { value: MAX_FILE_BYTES + 1 });
    await user.upload(screen.getByLabelText('Attach files'), huge);

    expect(screen.getByRole('alert')).toHaveTextContent('film.mp4 is too large: files may be at most 150.0 MB.');
    expect(screen.queryByRole('list', { name: 'Files to send' })).not.toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Send' })).toBeDisabled();
    expect(client.sendFiles).not.toHaveBeenCalled();
  });

  it('attaches a pasted picture and a dropped file', async () => {
    await inGeneral();
    fireEvent.paste(screen.getByRole('textbox', { name: 'Message' }), { clipboardData: { files: [png()], types: ['Files'] } });
    const form = screen.getByRole('textbox', { name: 'Message' }).closest('form');
    if (!form) throw new Error('no form');
    fireEvent.drop(form, { dataTransfer: { files: [new File(['a,b'], 'data.csv', { type: 'text/csv' })], types: ['Files'] } });

    const chosen = screen.getByRole('list', { name: 'Files to send' });
    expect(within(chosen).getAllByRole('listitem').map((li) => li.firstChild?.textContent)).toEqual(['cat.png (4 B)', 'data.csv (3 B)']);
  });

  it('keeps the files and says why when sending fails', async () => {
    const client = new FakeChatClient();
    client.sendFiles.mockRejectedValueOnce(new Error('the media service is down'));
    const { user } = await inGeneral(client);
    await user.upload(screen.getByLabelText('Attach files'), png());
    await user.click(screen.getByRole('button', { name: 'Send' }));

    expect(await screen.findByRole('alert')).toHaveTextContent('Not sent: the media service is down');
    expect(within(screen.getByRole('list', { name: 'Files to send' })).getByText(/cat\.png/)).toBeInTheDocument();
  });

  it('shows a picture as a thumbnail that opens full size, and another file as a named link with its size', async () => {
    const client = new FakeChatClient();
    client.history.set('CH1', {
      items: [
        {
          ...message('CH1', 0, '', 'bob'),
          attachments: [
            { sid: 'ME1', filename: 'cat.png', contentType: 'image/png', size: 4 },
            { sid: 'ME2', filename: 'notes.pdf', contentType: 'application/pdf', size: 2048 },
          ],
        },
      ],
      hasPrevPage: false,
    });
    await inGeneral(client);

    const picture = await screen.findByRole('img', { name: 'cat.png' });
    expect(picture).toHaveAttribute('src', 'https://media.test/0/ME1');
    expect(screen.getByRole('link', { name: 'Open cat.png full size' })).toHaveAttribute('href', 'https://media.test/0/ME1');
    const document = screen.getByRole('link', { name: 'notes.pdf (2.0 KB)' });
    expect(document).toHaveAttribute('href', 'https://media.test/0/ME2');
    expect(document).toHaveAttribute('download', 'notes.pdf');
    expect(client.getAttachmentUrl).toHaveBeenCalledWith('CH1', 0, 'ME1');
  });
});
