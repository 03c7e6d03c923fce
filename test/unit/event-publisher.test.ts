import { describe, expect, it } from 'vitest';
import { createEventPublisher } from '../../main/ipc/events.js';

describe('the event publisher', () => {
  it('parses each event with the contract before it leaves, and sends nothing (nor parses) while no window listens', () => {
    const sent: unknown[] = [];
    let listening = true;
    const events = createEventPublisher((channel, payload) => sent.push([channel, payload]), () => listening);
    events.publish('app:status', { status: 'ok', summary: 'No connections yet' });
    expect(sent).toEqual([['app:status', { status: 'ok', summary: 'No connections yet' }]]);
    // A payload the contract refuses throws while a window listens…
    expect(() => events.publish('app:status', { status: 'nope' } as never)).toThrow();
    listening = false;
    // …and is not even looked at while none does.
    expect(() => events.publish('app:status', { status: 'nope' } as never)).not.toThrow();
    expect(sent).toHaveLength(1);
  });
});
