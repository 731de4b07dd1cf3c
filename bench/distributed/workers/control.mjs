// What both kinds of worker process share: tell the bench "ready" once connected, close on its
// "close", and exit at once when the bench process is gone (its IPC channel closed), so that a
// bench killed by its timeout leaves no worker behind.
/* global process, console */

/** Reports readiness to the parent and serves its "close" request with `close`. */
export function serve(close) {
  process.on('disconnect', () => process.exit(0));
  process.on('message', (message) => {
    if (message !== 'close') return;
    Promise.resolve()
      .then(close)
      .then(
        () => process.exit(0),
        (error) => {
          console.error(`worker ${process.pid}: close failed:`, error);
          process.exit(1);
        },
      );
  });
  process.send('ready');
}
