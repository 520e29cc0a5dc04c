// What a file may be before it is uploaded, and how a file is shown: Twilio's limits for chat
// (twilio.com/docs/conversations/conversations-limits: files of up to 150 MB; 10 a message, as the emulator tells the SDK).

export const MAX_FILES = 10;
export const MAX_FILE_BYTES = 150 * 1024 * 1024;

/** Shown inline as pictures; anything else is a named link. The same list the emulator serves inline. */
const IMAGE_TYPES = new Set(['image/png', 'image/jpeg', 'image/gif', 'image/webp', 'image/bmp', 'image/avif']);

export function isInlineImage(contentType: string): boolean {
  return IMAGE_TYPES.has((contentType.split(';')[0] ?? '').trim().toLowerCase());
}

/** Why these files cannot be sent, said before any upload; null when they can. */
export function refusal(files: File[]): string | null {
  if (files.length > MAX_FILES) return `Too many files: at most ${MAX_FILES} in one message.`;
  const large = files.find((file) => file.size > MAX_FILE_BYTES);
  if (large) return `${large.name} is too large: files may be at most ${formatSize(MAX_FILE_BYTES)}.`;
  const empty = files.find((file) => file.size === 0);
  if (empty) return `${empty.name} is empty.`;
  return null;
}

export function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}
