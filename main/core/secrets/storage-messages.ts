/** What the user reads when the keychain misbehaves: plain words, the same wherever it shows. */
export const UNSAVED_SECRETS = 'Couldn’t save to the keychain; retrying. Quitting now would lose this connection.';
/** A rotated refresh token is not in the keychain yet: the new access token waits with it (see the reliability promise). */
export const PUSH_WAITS_FOR_KEYCHAIN = 'Couldn’t save the renewed tokens to the keychain; Data2CRM gets them once they are saved. Retrying; quitting now would lose this connection.';
export const UNREADABLE_SECRETS = 'Its secrets can’t be read: re-authorize or disconnect.';
export const keychainUnlisted = (reason: string) => `The keychain could not be read (${reason}); retrying.`;
