/* The status line: state, uptime, memory, per-vCPU load, disk and network activity (polled from the worker). */
import { useEffect, useState } from 'react';
import type { VkState, VkStats } from '../../workers/api.ts';
import { machine } from '../machine.ts';
import { formatBytes } from './format.ts';

function uptime(ms: number): string {
  const s = Math.floor(ms / 1000);
  const h = Math.floor(s / 3600), m = Math.floor((s % 3600) / 60);
  return `${h ? `${h}h` : ''}${h || m ? `${m}m` : ''}${s % 60}s`;
}

export function StatusBar({ state, status }: { state: VkState; status: number | null }) {
  const [st, setSt] = useState<VkStats | null>(null);
  useEffect(() => {
    let alive = true;
    const tick = async (): Promise<void> => {
      const s = await machine.stats().catch(() => null);
      if (alive) setSt(s);
    };
    void tick();
    const t = setInterval(tick, 1000);
    return () => {
      alive = false;
      clearInterval(t);
    };
  }, [state]);
  const live = st && (state === 'running' || state === 'booting');
  return (
    <div className="status" data-testid="status">
      <span data-testid="state" className={`state ${state}`}>
        {state}{(state === 'halted' || state === 'panic') && status !== null ? ` (status ${status})` : ''}
      </span>
      {live && (
        <>
          <span>up {uptime(st.uptimeMs)}</span>
          <span>mem {formatBytes(st.memUsed)} / {formatBytes(st.memTotal)}</span>
          <span>{st.procs} procs</span>
          <span className="cpus">
            {st.cpuLoad.map((l, i) => (
              <span key={i} title={`cpu${i}`} className="cpubar"><span style={{ width: `${Math.round(l * 100)}%` }} /></span>
            ))}
          </span>
          <span>disk r {formatBytes(st.diskRead)} w {formatBytes(st.diskWrite)}</span>
          <span>net rx {st.netRx} tx {st.netTx}</span>
        </>
      )}
    </div>
  );
}
