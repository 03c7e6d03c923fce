/**
 * `Notification` (https://www.electronjs.org/docs/latest/api/notification): records each one and
 * whether it was shown; `click()` is the user clicking it (emits `click`).
 */
import type { NotificationConstructorOptions } from 'electron';
import { EventEmitter } from 'node:events';
import { preventable } from './events.js';

export class StandInNotification extends EventEmitter {
  shown = false;
  constructor(readonly options: NotificationConstructorOptions) {
    super();
  }
  show(): void {
    this.shown = true;
  }
  click(): void {
    this.emit('click', preventable());
  }
}

export function createNotificationClass(notifications: StandInNotification[], supported: () => boolean) {
  return class Notification extends StandInNotification {
    static isSupported(): boolean {
      return supported();
    }
    constructor(options: NotificationConstructorOptions = {}) {
      super(options);
      notifications.push(this);
    }
  };
}
