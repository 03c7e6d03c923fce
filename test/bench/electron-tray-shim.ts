/** What main/adapters/tray.ts imports from 'electron', in the bench: the stand-in's recording Tray, Menu and nativeImage. */
import { StandInMenu, createTrayClass, nativeImage, type StandInTray } from '../support/electron-stand-in/tray-menu.js';

export const trays: StandInTray[] = [];
export const Menu = StandInMenu;
export const Tray = createTrayClass(trays);
export { nativeImage };
