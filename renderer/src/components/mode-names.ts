import type { ConnectionView } from '../../../preload/contract';

/** One name per way of connecting, the wizard's: the card, the table and the dialog say the same. */
export const MODE_NAMES: Record<ConnectionView['mode'], string> = { internal: 'Data2CRM sign-in', external: 'Own connected app', manual: 'Pasted tokens' };
