import { useId } from 'react';
import { daysLeftWords, type Tone } from './token-words';

interface LifetimeBarProps {
  /** Share of the token's lifetime already used, 0 to 1. */
  used: number;
  daysLeft: number | null;
  tone: Tone;
}

/**
 * How much of the token's validity has gone by. The ARIA progressbar carries the figures for
 * assistive technologies; the native <progress> inside only draws the bar (no inline style,
 * so nothing for the CSP to block).
 */
export function LifetimeBar({ used, daysLeft, tone }: LifetimeBarProps) {
  const labelId = useId();
  const percent = Math.round(Math.min(1, Math.max(0, used)) * 100);
  const remaining = daysLeft === null ? '' : `, ${daysLeftWords(daysLeft)}`;
  return (
    <div className="lifetime">
      <div className="lifetime-legend">
        <span id={labelId}>Durée de validité écoulée</span>
        <span aria-hidden="true">{percent}&nbsp;%</span>
      </div>
      <div
        role="progressbar"
        className="lifetime-track"
        aria-labelledby={labelId}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={percent}
        aria-valuetext={`${percent}\u00a0% de la durée de validité écoulée${remaining}`}
      >
        <progress className={`meter-bar lifetime-bar lifetime-${tone}`} max={100} value={percent} aria-hidden="true" />
      </div>
    </div>
  );
}
