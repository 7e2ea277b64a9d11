/*
 * The machine's buttons. Shutdown is the host's SIGTERM (init halts cleanly),
 * Break is ^\ (ddb), Power off stops the worker without syncing: it asks
 * first, because whatever the guest has not written to disk is lost.
 */
import { useState } from 'react';
import type { VkState } from '../../workers/api.ts';
import { machine } from '../machine.ts';

interface Props {
  state: VkState;
  canBoot: boolean;
  onBoot: () => void;
}

export function Controls({ state, canBoot, onBoot }: Props) {
  const [confirmOff, setConfirmOff] = useState(false);
  const running = state === 'running' || state === 'booting';
  return (
    <div className="controls" role="toolbar" aria-label="Machine">
      <button data-testid="boot" disabled={running || !canBoot} onClick={onBoot}>Boot</button>
      <button disabled={!running} onClick={() => machine.signal('SIGTERM')} title="Clean halt through init (SIGTERM)">Shutdown</button>
      <button disabled={!running} onClick={() => machine.signal('SIGQUIT')} title="Enter the kernel debugger (^\)">Break</button>
      <button disabled={!running} onClick={() => machine.reboot()}>Reboot</button>
      {confirmOff ? (
        <span className="confirm" role="alertdialog">
          Power off now? Data the guest has not synced is lost.{' '}
          <button data-testid="poweroff-confirm" onClick={() => { setConfirmOff(false); void machine.powerOff(); }}>Power off</button>{' '}
          <button onClick={() => setConfirmOff(false)}>Cancel</button>
        </span>
      ) : (
        <button data-testid="poweroff" disabled={!running} onClick={() => setConfirmOff(true)}>Power off</button>
      )}
    </div>
  );
}
