import { useEffect, useRef } from 'react';

/**
 * A level meter redrawn on every animation frame from `read()` (0–1), outside React's
 * rendering: reading the level is cheap, re-rendering sixty times a second is not.
 */
export function LevelMeter({ label, read }: { label: string; read: () => number }) {
  const meter = useRef<HTMLMeterElement>(null);
  useEffect(() => {
    let frame = requestAnimationFrame(function draw() {
      if (meter.current) meter.current.value = read();
      frame = requestAnimationFrame(draw);
    });
    return () => cancelAnimationFrame(frame);
  }, [read]);
  return (
    <label className="meter">
      {label}
      <meter ref={meter} min={0} max={1} value={0} />
    </label>
  );
}
