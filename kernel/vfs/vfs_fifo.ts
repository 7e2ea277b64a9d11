/*
 * Named pipes: a FIFO vnode's pipe lives as long as someone has it open.
 * open(2) for reading waits for a writer and for writing waits for a reader
 * (unless O_NONBLOCK: reads go ahead, writes fail with ENXIO). The wait
 * reruns open, so the first run records in io.restart that it already
 * counted itself in.
 */
import { ENXIO, SysError } from '../kern/errno.ts';
import { tsleep } from '../kern/sleep.ts';
import { Pipe, PipeEnd } from '../kern/pipe.ts';
import { O_ACCMODE, O_RDONLY, O_RDWR, O_WRONLY, type File } from './file.ts';
import type { IoCtx } from './ioctx.ts';
import { falloc } from './vfs_vnops.ts';
import type { Vnode } from './vnode.ts';

class FifoState {
  readerOpens = 0;
  writerOpens = 0;
  constructor(readonly pipe: Pipe) {}
}

class FifoOpenWait {
  constructor(readonly st: FifoState, readonly writer: boolean, readonly seenOpens: number) {}
}

const fifos = new WeakMap<Vnode, FifoState>();

function fifoState(vp: Vnode, io: IoCtx): FifoState {
  let st = fifos.get(vp);
  if (!st || (st.pipe.readers === 0 && st.pipe.writers === 0 && !(io.restart instanceof FifoOpenWait))) {
    st = new FifoState(new Pipe(io.cred));
    fifos.set(vp, st);
  }
  return st;
}

export function fifoOpen(vp: Vnode, flags: number, io: IoCtx): File {
  const wait = io.restart instanceof FifoOpenWait ? io.restart : null;
  const st = wait ? wait.st : fifoState(vp, io);
  const p = st.pipe;
  const acc = flags & O_ACCMODE;
  const nonblock = (flags & 0o4000) !== 0;
  if (!wait) {
    if (acc === O_WRONLY && nonblock && p.readers === 0) throw new SysError(ENXIO);
    if (acc === O_RDONLY || acc === O_RDWR) { p.readers++; st.readerOpens++; }
    if (acc === O_WRONLY || acc === O_RDWR) { p.writers++; st.writerOpens++; }
    p.notify();
  }
  if (acc === O_RDONLY && !nonblock && p.writers === 0) {
    const seen = wait ? wait.seenOpens : st.writerOpens;
    if (st.writerOpens === seen) {
      io.restart = wait ?? new FifoOpenWait(st, false, seen);
      return tsleep(p);
    }
  }
  if (acc === O_WRONLY && p.readers === 0) {
    const seen = wait ? wait.seenOpens : st.readerOpens;
    if (st.readerOpens === seen) {
      io.restart = wait ?? new FifoOpenWait(st, true, seen);
      return tsleep(p);
    }
  }
  io.restart = null;
  return falloc(new PipeEnd(p, acc !== O_RDONLY), vp, flags);
}
