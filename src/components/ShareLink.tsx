/*
 * A link that boots the same setup: the command line rides in ?cmdline=,
 * and disks in it are library names or URLs (images served from public/ or
 * elsewhere become copy-on-write overlays on first boot). ?autoboot boots
 * on arrival.
 */
import { useState } from 'react';

export function shareUrl(line: string, autoboot: boolean): string {
  const u = new URL(location.pathname, location.origin);
  u.searchParams.set('cmdline', line.replace(/^vkernel /, ''));
  if (autoboot) u.searchParams.set('autoboot', '');
  return u.href.replace(/autoboot=$/, 'autoboot');
}

export function ShareLink({ line }: { line: string }) {
  const [autoboot, setAutoboot] = useState(true);
  const [copied, setCopied] = useState(false);
  const url = shareUrl(line, autoboot);
  return (
    <div className="share">
      <span className="label">Share link</span>
      <span className="inline">
        <a data-testid="share-link" href={url}>{url.length > 70 ? `${url.slice(0, 67)}…` : url}</a>
        <label><input type="checkbox" checked={autoboot} onChange={(e) => setAutoboot(e.target.checked)} /> autoboot</label>
        <button onClick={() => void navigator.clipboard?.writeText(url).then(() => setCopied(true))}>{copied ? 'Copied' : 'Copy'}</button>
      </span>
    </div>
  );
}
