import { createRoot } from 'react-dom/client';
import { App } from './App.tsx';
import './styles.css';

/*
 * Static hosting cannot send COOP/COEP; the service worker adds them to every
 * response. Registered only when the page is not isolated, and the reload
 * happens once per session so a browser that refuses cannot loop.
 */
async function isolateViaServiceWorker(): Promise<boolean> {
  if (crossOriginIsolated || !('serviceWorker' in navigator) || !isSecureContext) return false;
  if (sessionStorage.getItem('coi-reloaded')) return false;
  try {
    const reg = await navigator.serviceWorker.register(new URL('coi-sw.js', document.baseURI).href);
    await navigator.serviceWorker.ready;
    if (reg.active) {
      sessionStorage.setItem('coi-reloaded', '1');
      location.reload();
      return true;
    }
  } catch {
    /* no service worker here: the page explains */
  }
  return false;
}

if (!(await isolateViaServiceWorker())) {
  createRoot(document.getElementById('root')!).render(<App />);
}
