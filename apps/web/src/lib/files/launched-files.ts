/**
 * Files the operating system opened with the installed app: the manifest's
 * `file_handlers` registers `.leakpilot`, and Chromium hands such files to the
 * page through `window.launchQueue`. Call `onLaunchedFiles` once at start-up;
 * it does nothing in browsers without the File Handling API.
 */
interface LaunchParams {
  files: readonly FileSystemHandle[];
}
interface LaunchQueue {
  setConsumer(consumer: (params: LaunchParams) => void): void;
}

/** Registers `receive` for every batch of files the app is launched with; returns whether the API exists. */
export function onLaunchedFiles(receive: (files: { file: File; handle: FileSystemFileHandle }[]) => void): boolean {
  const queue = (globalThis as { launchQueue?: LaunchQueue }).launchQueue;
  if (!queue) return false;
  queue.setConsumer((params) => {
    const handles = params.files.filter((handle): handle is FileSystemFileHandle => handle.kind === 'file');
    if (handles.length === 0) return;
    void Promise.all(handles.map(async (handle) => ({ file: await handle.getFile(), handle }))).then(receive, () => undefined);
  });
  return true;
}
