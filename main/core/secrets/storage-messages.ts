/** What the user reads when the keychain misbehaves: plain words, the same wherever it shows. */
export const UNSAVED_SECRETS = 'Couldn’t save to the keychain; retrying. Quitting now would lose this connection.';
export const UNREADABLE_SECRETS = 'Its secrets can’t be read: re-authorize or disconnect.';
export const keychainUnlisted = (reason: string) => `The keychain could not be read (${reason}); retrying.`;
