// Status changes for screen readers: one polite live region per page, shared by every component. Announcing the
// same text twice in a row is made audible by clearing the region first.

let region: HTMLElement | undefined;

function liveRegion(): HTMLElement {
  if (region && document.body.contains(region)) return region;
  region = document.createElement('div');
  region.setAttribute('role', 'status');
  region.setAttribute('aria-live', 'polite');
  region.className = 'weft-visually-hidden';
  region.id = 'weft-announcer';
  document.body.appendChild(region);
  return region;
}

/** Says `text` to screen-reader users without moving focus. */
export function announce(text: string): void {
  const target = liveRegion();
  target.textContent = '';
  // A separate task, so that assistive technology sees a change even when the text repeats.
  setTimeout(() => {
    target.textContent = text;
  }, 30);
}
