import { createRoot } from 'react-dom/client';
import { App } from './App.tsx';
import './styles.css';

/*
 * Static hosting cannot send COOP/COEP; the service worker adds them to every
 * response. Registered only when the page is not isolated, and the reload
 * happens once per session so a browser that refuses cannot loop.
 */
async function isolateViaServiceWorker(): Promise<boolean> {
  if (typeof crossOriginIsolated !== 'undefined' && crossOriginIsolated) return false;
  if (!('serviceWorker' in navigator) || !isSecureContext) return false;
  if (sessionStorage.getItem('coi-reloaded')) return false;
  try {
    /* A browser (or policy) that blocks service workers may never settle: give up after a while. */
    const timeout = new Promise<null>((r) => setTimeout(() => r(null), 4000));
    const reg = await Promise.race([navigator.serviceWorker.register(new URL('coi-sw.js', document.baseURI).href), timeout]);
    if (reg && (await Promise.race([navigator.serviceWorker.ready, timeout])) && reg.active) {
      sessionStorage.setItem('coi-reloaded', '1');
      location.reload();
      return true;
    }
  } catch {
    /* no service worker here: the page explains */
  }
  return false;
}

/* Render at once (a non-isolated page explains itself) and reload if the service worker takes over. */
createRoot(document.getElementById('root')!).render(<App />);
void isolateViaServiceWorker();
