import { createContext, memo, useContext } from 'react';
import type { ConnectionView } from '../../../preload/contract';
import { asSentence } from '../components/connection-state';
import { countRender } from '../components/render-probe';
import { useNowText, type NowStore } from '../components/use-now';
import { rowTime, type RowTimeKind } from './row-times';

/** The list's clock, read by each row's time texts (rows themselves never read it). */
export const RowClock = createContext<NowStore | null>(null);

interface RowTimeProps {
  readonly connection: ConnectionView;
  readonly kind: RowTimeKind;
  readonly keyRejected: boolean;
  readonly paused: boolean;
  /** Said as a sentence of its own ("Next try in 2 min."): it follows the state's reason. */
  readonly sentence?: boolean;
}

/**
 * One clock-bound text of a row. A minute passing re-renders this text alone, and only when its
 * words change ("just now" → "1 min ago"); the row around it keeps its render.
 */
export const RowTime = memo(function RowTime({ connection, kind, keyRejected, paused, sentence = false }: RowTimeProps) {
  const clock = useContext(RowClock);
  if (!clock) throw new Error('RowTime needs a RowClock provider (the connections list gives one).');
  const text = useNowText(clock, (now) => {
    const words = rowTime(connection, kind, now, { serviceKeyRejected: keyRejected, paused });
    return sentence ? asSentence(words) : words;
  });
  countRender(`time:${connection.id}`);
  return text;
});
