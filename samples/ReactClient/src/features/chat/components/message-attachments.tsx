import { useEffect, useState } from 'react';

import { errorMessage } from '@/lib/values';

import { formatSize, isInlineImage } from '../media';
import { type ChatAttachment, type ChatMessage } from '../types';

export type MessageAttachmentsProps = {
  message: ChatMessage;
  /** A fresh URL of an attachment's bytes (they expire, so one is asked for each time the message is shown). */
  onAttachmentUrl: (message: ChatMessage, attachmentSid: string) => Promise<string>;
};

/** A message's files: pictures as thumbnails that open full size, anything else as a named link with its size. */
export function MessageAttachments({ message, onAttachmentUrl }: MessageAttachmentsProps) {
  const attachments = message.attachments ?? [];
  if (attachments.length === 0) return null;
  return (
    <ul className="message__attachments" aria-label="Files">
      {attachments.map((attachment) => (
        <li key={attachment.sid}>
          <Attachment message={message} attachment={attachment} onAttachmentUrl={onAttachmentUrl} />
        </li>
      ))}
    </ul>
  );
}

function Attachment({
  message,
  attachment,
  onAttachmentUrl,
}: MessageAttachmentsProps & { attachment: ChatAttachment }) {
  const [url, setUrl] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const name = attachment.filename ?? 'file';

  useEffect(() => {
    let current = true;
    onAttachmentUrl(message, attachment.sid).then(
      (fresh) => current && setUrl(fresh),
      (caught: unknown) => current && setError(errorMessage(caught, 'the file is not available.')),
    );
    return () => {
      current = false;
    };
  }, [message, attachment.sid, onAttachmentUrl]);

  if (error) return <span className="error">{`${name}: ${error}`}</span>;
  if (!url) return <span className="muted">{`${name} (${formatSize(attachment.size)})…`}</span>;
  return isInlineImage(attachment.contentType) ? (
    <a href={url} target="_blank" rel="noopener noreferrer" aria-label={`Open ${name} full size`}>
      <img className="message__thumbnail" src={url} alt={name} />
    </a>
  ) : (
    <a href={url} download={name} rel="noopener noreferrer">
      {`${name} (${formatSize(attachment.size)})`}
    </a>
  );
}
