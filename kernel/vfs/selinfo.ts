/*
 * Poll/select wakeups. A poller waits on many files at once but tsleep takes
 * one channel, so every poller sleeps on selChan and any readiness change
 * anywhere wakes them all to recheck (BSD's selwakeup with a permanent
 * collision). Simple, and cheap at our scale.
 */
import { wakeup } from '../kern/sleep.ts';

export const selChan: object = { name: 'select' };

export function selwakeup(): void {
  wakeup(selChan);
}
