/*
 * The playground page. For now it reports whether the page can host the
 * kernel (SharedArrayBuffer needs cross-origin isolation); the boot form,
 * console and image library arrive with the browser issue.
 */
export function App() {
  const isolated = typeof crossOriginIsolated !== 'undefined' && crossOriginIsolated;
  const sab = typeof SharedArrayBuffer !== 'undefined';
  return (
    <main style={{ fontFamily: 'system-ui, sans-serif', maxWidth: 720, margin: '2rem auto' }}>
      <h1>vkernel playground</h1>
      <p data-testid="isolation">
        {isolated && sab
          ? 'This page is cross-origin isolated: SharedArrayBuffer is available for the kernel.'
          : 'This browser did not grant cross-origin isolation, so SharedArrayBuffer (the kernel\u2019s physical memory) is unavailable. Serve the page with COOP/COEP headers.'}
      </p>
      <p>
        The kernel runs today under Node: <code>bin/vkernel -m 128m -e vfs.root.mountfrom=hostfs:/dir -e init_path=/bin/prog</code>.
      </p>
    </main>
  );
}
