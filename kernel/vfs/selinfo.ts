/*
 * Poll/select wakeups. A poller waits on many files at once but tsleep takes
 * one channel, so every poller sleeps on selChan and any readiness change
 * anywhere wakes them all to recheck (BSD's selwakeup with a permanent
 * collision). Simple, and cheap at our scale.
 */
import { wakeup } from '../kern/sleep.ts';

export const selChan: object = { name: 'select' };

/**
 * Called on every selwakeup: edge-triggered epoll instances (sys_epoll.ts)
 * look at their files here to notice readiness they must report once.
 */
export const selHooks = new Set<() => void>();

export function selwakeup(): void {
  wakeup(selChan);
  for (const h of selHooks) h();
}
